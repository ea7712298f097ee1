package dev.dualsocket.event;

import java.time.Instant;

import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.SocketRole;

/**
 * One step of the diagnosis of a socket failure (seed 003) came out: its name, outcome and duration. The verdict
 * follows as a {@link LinkDiagnosedEvent} once the last step has come out.
 */
public class DiagnosisStepEvent extends DualSocketEvent {

	private final SocketRole socket;

	private final FailureDiagnosis.Step step;

	public DiagnosisStepEvent(String endpoint, String linkId, SocketRole socket, FailureDiagnosis.Step step,
			Instant time) {
		super(endpoint, linkId, time);
		this.socket = socket;
		this.step = step;
	}

	@Override
	public String getLinkId() {
		String linkId = super.getLinkId();
		return (linkId != null) ? linkId : "";
	}

	/**
	 * The socket whose failure is being diagnosed.
	 * @return the socket
	 */
	public SocketRole getSocket() {
		return this.socket;
	}

	/**
	 * The step's outcome.
	 * @return the step, its outcome, what was seen and how long it took
	 */
	public FailureDiagnosis.Step getStep() {
		return this.step;
	}

	@Override
	public String toString() {
		return "DiagnosisStepEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.socket.label() + ": " + this.step
				+ "]";
	}

}

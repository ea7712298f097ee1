package dev.dualsocket.event;

import java.time.Instant;

import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.FailureVerdict;

/**
 * The diagnosis of a socket failure (seed 003) reached its verdict. Published for every diagnosis that ran to its
 * end (not for one stopped because the link closed). The diagnosis runs beside the recovery procedure and never
 * delays it, so this event may come after the procedure already moved the link on (a fast {@code DISCONNECTED}, or
 * {@code NORMAL} again); the {@link LinkStateChangedEvent}s published after this one, until the link is
 * {@code NORMAL} again, carry the verdict as their {@link LinkStateChangedEvent#getDiagnosis() diagnosis}.
 */
public class LinkDiagnosedEvent extends DualSocketEvent {

	private final FailureDiagnosis diagnosis;

	public LinkDiagnosedEvent(String endpoint, String linkId, FailureDiagnosis diagnosis, Instant time) {
		super(endpoint, linkId, time);
		this.diagnosis = diagnosis;
	}

	@Override
	public String getLinkId() {
		String linkId = super.getLinkId();
		return (linkId != null) ? linkId : "";
	}

	/**
	 * The whole diagnosis: socket, failure, verdict and each step's outcome.
	 * @return the diagnosis
	 */
	public FailureDiagnosis getDiagnosis() {
		return this.diagnosis;
	}

	/**
	 * The verdict, short for {@code getDiagnosis().verdict()}.
	 * @return the verdict
	 */
	public FailureVerdict getVerdict() {
		return this.diagnosis.verdict();
	}

	@Override
	public String toString() {
		return "LinkDiagnosedEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.diagnosis.socket().label() + ": "
				+ this.diagnosis.verdict() + " " + this.diagnosis.steps() + "]";
	}

}

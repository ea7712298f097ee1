package dev.dualsocket.event;

import java.time.Instant;

import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import org.jspecify.annotations.Nullable;

/**
 * A link changed state. Every transition of every link is one such event.
 */
public class LinkStateChangedEvent extends DualSocketEvent {

	private final LinkState from;

	private final LinkState to;

	private final String cause;

	private final @Nullable SocketRole socket;

	private final @Nullable RecoveryProcedure procedure;

	private final @Nullable FailureVerdict diagnosis;

	public LinkStateChangedEvent(String endpoint, String linkId, LinkState from, LinkState to, String cause,
			@Nullable SocketRole socket, @Nullable RecoveryProcedure procedure, Instant time) {
		this(endpoint, linkId, from, to, cause, socket, procedure, null, time);
	}

	public LinkStateChangedEvent(String endpoint, String linkId, LinkState from, LinkState to, String cause,
			@Nullable SocketRole socket, @Nullable RecoveryProcedure procedure, @Nullable FailureVerdict diagnosis,
			Instant time) {
		super(endpoint, linkId, time);
		this.from = from;
		this.to = to;
		this.cause = cause;
		this.socket = socket;
		this.procedure = procedure;
		this.diagnosis = diagnosis;
	}

	@Override
	public String getLinkId() {
		String linkId = super.getLinkId();
		return (linkId != null) ? linkId : "";
	}

	public LinkState getFrom() {
		return this.from;
	}

	public LinkState getTo() {
		return this.to;
	}

	/**
	 * Why the state changed, in words, for example {@code "inbound socket failed: io error: Connection reset"} or
	 * {@code "peer closed"}.
	 * @return the cause
	 */
	public String getCause() {
		return this.cause;
	}

	/**
	 * The socket whose failure or recovery caused the change.
	 * @return the socket, or {@code null} when the change concerns the link as a whole
	 */
	public @Nullable SocketRole getSocket() {
		return this.socket;
	}

	/**
	 * The procedure that made the change.
	 * @return the procedure, or {@code null} for changes made outside any procedure (shutdown, a peer's close)
	 */
	public @Nullable RecoveryProcedure getProcedure() {
		return this.procedure;
	}

	/**
	 * The verdict of the diagnosis of the socket failure the link is recovering from (seed 003), once it is known.
	 * The diagnosis never delays the recovery procedure: the move to {@code RECOVERING} comes before any verdict, and
	 * a fast move on (to {@code DISCONNECTED}, say) may come before it too. Every change published after the verdict,
	 * up to and including the next move to {@code NORMAL}, carries it; the verdict itself is always published as a
	 * {@link LinkDiagnosedEvent}.
	 * @return the verdict, or {@code null} when none is known (yet), or the change has nothing to do with a failure
	 */
	public @Nullable FailureVerdict getDiagnosis() {
		return this.diagnosis;
	}

	@Override
	public String toString() {
		return "LinkStateChangedEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.from + " -> " + this.to + " ("
				+ this.cause + ")" + ((this.diagnosis != null) ? " diagnosis " + this.diagnosis : "") + "]";
	}

}

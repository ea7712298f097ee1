package dev.dualsocket.event;

import java.time.Instant;

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

	public LinkStateChangedEvent(String endpoint, String linkId, LinkState from, LinkState to, String cause,
			@Nullable SocketRole socket, @Nullable RecoveryProcedure procedure, Instant time) {
		super(endpoint, linkId, time);
		this.from = from;
		this.to = to;
		this.cause = cause;
		this.socket = socket;
		this.procedure = procedure;
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

	@Override
	public String toString() {
		return "LinkStateChangedEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.from + " -> " + this.to + " ("
				+ this.cause + ")]";
	}

}

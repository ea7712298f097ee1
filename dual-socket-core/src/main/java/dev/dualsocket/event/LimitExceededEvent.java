package dev.dualsocket.event;

import java.time.Instant;

import dev.dualsocket.Limit;
import org.jspecify.annotations.Nullable;

/**
 * A limit refused or closed something: a connection or a new link at a server, a connection whose peer went past a
 * protocol bound, a request at the caller. Only the offender is refused or closed; the links held go on. A connection
 * closed for a protocol bound ({@link Limit#HEARTBEAT_RATE}, {@link Limit#HANDSHAKE_FRAME_SIZE},
 * {@link Limit#FRAME_SIZE}) broke the protocol too, so a {@link ProtocolErrorEvent} reports it as well.
 */
public class LimitExceededEvent extends DualSocketEvent {

	private final @Nullable String remoteAddress;

	private final Limit limit;

	private final String message;

	/**
	 * @param endpoint the endpoint that enforced the limit
	 * @param linkId the link the connection or request belongs to, or the link a refused handshake asked for;
	 * {@code null} for a connection closed before its handshake
	 * @param remoteAddress the peer's address of the connection refused or closed; {@code null} for a limit on this
	 * side's own callers
	 * @param limit which limit
	 * @param message what was refused or closed and why, naming the limit's property
	 * @param time when
	 */
	public LimitExceededEvent(String endpoint, @Nullable String linkId, @Nullable String remoteAddress, Limit limit,
			String message, Instant time) {
		super(endpoint, linkId, time);
		this.remoteAddress = remoteAddress;
		this.limit = limit;
		this.message = message;
	}

	/**
	 * The peer's address of the connection refused or closed.
	 * @return for example {@code "/10.0.0.7:51234"}, or {@code null} for {@link Limit#REQUESTS_IN_FLIGHT}, a limit on
	 * this side's own callers
	 */
	public @Nullable String getRemoteAddress() {
		return this.remoteAddress;
	}

	public Limit getLimit() {
		return this.limit;
	}

	public String getMessage() {
		return this.message;
	}

	@Override
	public String toString() {
		return "LimitExceededEvent[" + getEndpoint() + " " + this.limit + ((this.remoteAddress != null)
				? " " + this.remoteAddress : "") + ": " + this.message + "]";
	}

}

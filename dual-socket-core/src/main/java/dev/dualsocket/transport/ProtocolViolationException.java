package dev.dualsocket.transport;

import dev.dualsocket.Limit;
import io.netty.handler.codec.DecoderException;
import org.jspecify.annotations.Nullable;

/**
 * The peer sent something this protocol does not allow: a frame longer than the maximum frame size, a length or
 * type that makes no sense, a malformed handshake, or a frame that has no place where it arrived. The connection
 * it arrived on is closed; every other connection carries on. When the peer went past one of the protocol's bounds
 * rather than sending something malformed, {@link #limit()} says which.
 */
public class ProtocolViolationException extends DecoderException {

	private static final long serialVersionUID = 1L;

	private final @Nullable Limit limit;

	/**
	 * A violation that went past no limit: something malformed or out of place.
	 * @param message what the peer did
	 */
	public ProtocolViolationException(String message) {
		this(message, null);
	}

	/**
	 * A violation that went past one of the protocol's bounds.
	 * @param message what the peer did
	 * @param limit the bound, or {@code null} if the violation is of another kind
	 */
	public ProtocolViolationException(String message, @Nullable Limit limit) {
		super(message);
		this.limit = limit;
	}

	/**
	 * The bound the peer went past.
	 * @return the limit, or {@code null} for a violation of another kind (a malformed frame, one out of place)
	 */
	public @Nullable Limit limit() {
		return this.limit;
	}

}

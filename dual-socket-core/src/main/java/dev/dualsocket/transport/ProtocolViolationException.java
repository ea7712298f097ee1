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

	// The words with which FrameDecoder refuses a frame for its length: it names the limit in them only, so they are
	// read here. ProtocolViolationTests pins each; a decoder that passed the limit itself would make them unneeded.
	private static final String BEFORE_HANDSHAKE = "before the handshake completed";

	private static final String OVER_MAX_FRAME_SIZE = "exceeds max-frame-size";

	private final @Nullable Limit limit;

	/**
	 * A violation that went past no limit, unless its words are those of a frame refused for its length.
	 * @param message what the peer did
	 */
	public ProtocolViolationException(String message) {
		this(message, limitNamedBy(message));
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

	private static @Nullable Limit limitNamedBy(String message) {
		if (message.startsWith("frame of ")) {
			if (message.contains(BEFORE_HANDSHAKE)) {
				return Limit.HANDSHAKE_FRAME_SIZE;
			}
			if (message.contains(OVER_MAX_FRAME_SIZE)) {
				return Limit.FRAME_SIZE;
			}
		}
		return null;
	}

}

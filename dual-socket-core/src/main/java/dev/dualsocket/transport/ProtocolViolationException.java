package dev.dualsocket.transport;

import io.netty.handler.codec.DecoderException;

/**
 * The peer sent something this protocol does not allow: a frame longer than the maximum frame size, a length or
 * type that makes no sense, a malformed handshake, or a frame that has no place where it arrived. The connection
 * it arrived on is closed; every other connection carries on.
 */
public class ProtocolViolationException extends DecoderException {

	private static final long serialVersionUID = 1L;

	public ProtocolViolationException(String message) {
		super(message);
	}

}

package dev.dualsocket.codec;

/**
 * A payload could not be encoded, or its bytes could not be decoded to the type wanted.
 */
public class PayloadCodecException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PayloadCodecException(String message) {
		super(message);
	}

	public PayloadCodecException(String message, Throwable cause) {
		super(message, cause);
	}

}

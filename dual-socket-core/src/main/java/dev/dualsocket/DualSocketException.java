package dev.dualsocket;

/**
 * Base class of the exceptions with which a request's future completes when no response can be delivered.
 */
public abstract class DualSocketException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	protected DualSocketException(String message) {
		super(message);
	}

	protected DualSocketException(String message, Throwable cause) {
		super(message, cause);
	}

}

package dev.dualsocket;

import java.time.Duration;

/**
 * No response arrived within the request timeout. The request may or may not have run on the peer.
 */
public class RequestTimeoutException extends DualSocketException {

	private static final long serialVersionUID = 1L;

	private final Duration timeout;

	public RequestTimeoutException(String message, Duration timeout) {
		super(message);
		this.timeout = timeout;
	}

	/**
	 * The request timeout that elapsed.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}

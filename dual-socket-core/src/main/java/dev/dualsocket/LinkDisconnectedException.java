package dev.dualsocket;

/**
 * The link is (or went) {@link LinkState#DISCONNECTED} or {@link LinkState#CLOSED}: the request was not sent, or its
 * response can no longer arrive. Thrown at once, never after waiting out the request timeout.
 */
public class LinkDisconnectedException extends DualSocketException {

	private static final long serialVersionUID = 1L;

	public LinkDisconnectedException(String message) {
		super(message);
	}

}

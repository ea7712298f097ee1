package dev.dualsocket;

/**
 * A request was not sent because its link already has as many requests awaiting their answers as
 * {@code max-requests-in-flight} allows. Nothing was sent; the caller may try again once answers have come back.
 */
public class TooManyRequestsInFlightException extends DualSocketException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message says which link and what the limit is
	 */
	public TooManyRequestsInFlightException(String message) {
		super(message);
	}

}

package dev.dualsocket;

/**
 * This side's link is {@link LinkState#QUIESCED} and its endpoint is configured to fail its own requests meanwhile
 * ({@code quiesce.own-requests=fail}) rather than hold them: the request was not sent. Thrown at once.
 */
public class LinkQuiescedException extends DualSocketException {

	private static final long serialVersionUID = 1L;

	public LinkQuiescedException(String message) {
		super(message);
	}

}

package dev.dualsocket.link;

import dev.dualsocket.DualSocketException;
import dev.dualsocket.RemoteRequestException;

/**
 * Thrown by a {@link RequestHandler} to answer a request with an {@code ERROR} of its choosing: the peer gets the
 * reason and exactly this exception's message, and nothing of the handler's own exceptions (their types and texts
 * may say more than a peer should learn). Any other exception a handler throws is answered {@code HANDLER_FAILED}
 * with its type and message.
 */
public class RequestFailedException extends DualSocketException {

	private static final long serialVersionUID = 1L;

	private final RemoteRequestException.Reason reason;

	/**
	 * Answers {@code HANDLER_FAILED} with the message.
	 * @param message what the peer is told
	 */
	public RequestFailedException(String message) {
		this(RemoteRequestException.Reason.HANDLER_FAILED, message);
	}

	/**
	 * Answers with the reason and the message.
	 * @param reason the error code the peer gets, for example {@code NO_HANDLER} for a request of a type nobody
	 * answers
	 * @param message what the peer is told
	 */
	public RequestFailedException(RemoteRequestException.Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * The error code the peer gets.
	 * @return the reason
	 */
	public RemoteRequestException.Reason getReason() {
		return this.reason;
	}

}

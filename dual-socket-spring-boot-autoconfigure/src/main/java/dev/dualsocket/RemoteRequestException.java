package dev.dualsocket;

/**
 * The peer received the request but answered with an error instead of a response: its handler threw, it had no
 * handler, it was too busy to take the request, or it is shutting down. The message is the peer's.
 */
public class RemoteRequestException extends DualSocketException {

	private static final long serialVersionUID = 1L;

	private final Reason reason;

	public RemoteRequestException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Why the peer answered with an error.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Why a peer answered a request with an error.
	 */
	public enum Reason {

		/** The peer's handler threw; the message is the exception's. */
		HANDLER_FAILED,

		/** The peer has no handler for requests on this endpoint. */
		NO_HANDLER,

		/** The peer's handler queue was full; the request did not run and may be sent again. */
		BUSY,

		/** The peer is shutting down and takes no new requests; the request did not run. */
		SHUTTING_DOWN

	}

}

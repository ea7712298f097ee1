package dev.dualsocket;

/**
 * The peer received the request but answered with an error instead of a response: its handler threw, it had no
 * handler, it was too busy to take the request, it is shutting down, or the request was a copy it could no longer
 * tell from one it had run. The message is the peer's.
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
		SHUTTING_DOWN,

		/**
		 * The request's id is below what the peer still remembers of this session: it is a copy of a request the peer
		 * took earlier and whose answer it no longer keeps, or one that arrived too late for the peer to tell. It was
		 * not run now; whether an earlier copy ran is unknown, so it must not be retried blindly.
		 */
		DUPLICATE_EXPIRED

	}

}

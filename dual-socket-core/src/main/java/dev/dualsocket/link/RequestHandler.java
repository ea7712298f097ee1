package dev.dualsocket.link;

/**
 * Answers the requests that a peer sends on a link's inbound socket. Runs on the bounded handler pool, never on an
 * I/O thread, so it may block. A request id is handled at most once per link session: a request the peer sends again
 * after a socket failure is answered from a cache of recent responses, without calling the handler again.
 */
@FunctionalInterface
public interface RequestHandler {

	/**
	 * Handles one request.
	 * @param request the request
	 * @return the response payload
	 * @throws Exception to answer with an error; the caller's future completes exceptionally with a
	 * {@link dev.dualsocket.RemoteRequestException} carrying the exception's type and message
	 */
	byte[] handle(IncomingRequest request) throws Exception;

}

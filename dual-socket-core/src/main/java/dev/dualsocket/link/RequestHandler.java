package dev.dualsocket.link;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

	/**
	 * Handles one request and answers when the returned stage completes, so that a handler that waits for something
	 * else (a database, another service) need not hold a handler thread meanwhile. The request counts as in flight
	 * until then. By default, {@link #handle} on the calling thread.
	 * @param request the request
	 * @return the response payload, or a stage that completes exceptionally to answer with an error, as
	 * {@link #handle} throws
	 * @throws Exception as {@link #handle} does
	 */
	default CompletionStage<byte[]> handleAsync(IncomingRequest request) throws Exception {
		return CompletableFuture.completedFuture(handle(request));
	}

}

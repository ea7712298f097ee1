package dev.dualsocket.link;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the requests that a peer sends on a link's inbound socket. By default it runs on the bounded handler pool,
 * never on an I/O thread, so it may block; a handler that {@linkplain #nonBlocking declares it never blocks} runs on
 * the I/O thread that read the request instead, without the hand-off to the pool and back. A request id is handled at
 * most once per link session: a request the peer sends again after a socket failure is answered from a cache of recent
 * responses, without calling the handler again.
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

	/**
	 * Whether this handler may block the thread it runs on: wait for I/O, a lock held for long, a future, a sleep.
	 * One that may is run on the endpoint's handler pool (the default); one that never does is run on the I/O thread
	 * that read the request, which saves two thread hand-offs per request and is the fastest way to answer. Such a
	 * handler must return within microseconds: while it runs, no other socket of that I/O thread is read or written,
	 * heartbeats included. Requests that carry a key on an endpoint with a shared store of served requests still run
	 * on the pool, since claiming them in the store blocks.
	 * @return {@code true} (the default) if it may block
	 * @see #nonBlocking(RequestHandler)
	 */
	default boolean isBlocking() {
		return true;
	}

	/**
	 * Declares that a handler never blocks, so that it runs on the I/O thread that read each request (see
	 * {@link #isBlocking()}), for example {@code endpoint.setRequestHandler(RequestHandler.nonBlocking((request) ->
	 * request.payload()))}.
	 * @param handler the handler, which must never block
	 * @return a handler that answers as {@code handler} does and says it does not block
	 */
	static RequestHandler nonBlocking(RequestHandler handler) {
		return new NonBlockingRequestHandler(handler);
	}

}

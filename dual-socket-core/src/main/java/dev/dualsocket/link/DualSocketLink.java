package dev.dualsocket.link;

import java.util.concurrent.CompletableFuture;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;

/**
 * One link to a peer: two TCP connections, one state. A client endpoint has one link; a server endpoint has one per
 * connected client.
 */
public interface DualSocketLink {

	/**
	 * The link's id: the {@code link-id} the client presents.
	 * @return the id
	 */
	String getId();

	/**
	 * The name of the endpoint the link belongs to.
	 * @return the endpoint name
	 */
	String getEndpointName();

	/**
	 * The link's current state.
	 * @return the state
	 */
	LinkState getState();

	/**
	 * Sends a request on this side's outbound socket. Many requests may be in flight at once; responses may arrive
	 * in any order. While the link is {@link LinkState#CONNECTING} or {@link LinkState#RECOVERING} the request waits
	 * for the outbound socket, bounded by the request timeout; a request in flight on a socket that fails is sent
	 * again on the recovered socket under the same id, and the peer runs it at most once.
	 * @param payload the request payload
	 * @return completes with the response payload, or exceptionally with a
	 * {@link dev.dualsocket.RemoteRequestException} (the peer answered with an error), a
	 * {@link dev.dualsocket.RequestTimeoutException} (no response in time) or a
	 * {@link dev.dualsocket.LinkDisconnectedException} (the link is or went down). Completes on an I/O thread: do
	 * not block in a dependent stage; use the {@code ...Async} variants for blocking work.
	 */
	CompletableFuture<byte[]> request(byte[] payload);

	/**
	 * Sends a request whose payload and response are converted by the endpoint's payload codec: {@code byte[]} and
	 * {@code String} as they are, other types as JSON (or through the application's own codec).
	 * @param <T> the response type
	 * @param payload the request payload
	 * @param responseType the type the response is decoded to
	 * @return the decoded response; completes exceptionally as {@link #request(byte[])} does, or with a
	 * {@link dev.dualsocket.codec.PayloadCodecException} if the payload or response cannot be converted
	 */
	<T> CompletableFuture<T> request(Object payload, Class<T> responseType);

	/**
	 * Sends a request of a message type (section 2.1 of the protocol): the peer answers it with its handler for that
	 * type, or {@code NO_HANDLER} if it has none. {@link #request(Object, Class)} sends the simple name of the
	 * payload's class as the type ({@link MessageTypes}); this names it.
	 * @param <T> the response type
	 * @param messageType the message type, 1 to 255 bytes of UTF-8 without control characters
	 * @param payload the request payload
	 * @param responseType the type the response is decoded to
	 * @return the decoded response, as {@link #request(Object, Class)}; fails with an
	 * {@link IllegalArgumentException} for a message type that breaks its rule
	 */
	<T> CompletableFuture<T> request(String messageType, Object payload, Class<T> responseType);

	/**
	 * Drops the link and establishes it again: a client closes both sockets and re-connects them at once in a new
	 * session; a server closes the link and waits for its client to come back.
	 */
	void reconnect();

	/**
	 * Drops one socket's connection abruptly (the peer sees a reset), as a network fault would; the link's recovery
	 * procedure then runs as for any failure. For drills and demonstrations of recovery.
	 * @param socket which socket
	 * @return {@code false} if that socket had no connection to drop
	 */
	boolean dropSocket(SocketRole socket);

	/**
	 * Pauses this side's application on the link without dropping it (seed 002): both sockets and their heartbeats
	 * stay up, the peer is told ({@code QUIESCE}, section 6.5 of the protocol) and the link is
	 * {@link LinkState#QUIESCED}. Requests the handlers already run are finished; the peer's later ones wait, within
	 * {@code quiesce.max-queued}, for {@link #resume()} (beyond it they are answered {@code BUSY} and the peer sends
	 * them again later); this side's own requests wait or fail at once, as {@code quiesce.own-requests} says. Does
	 * nothing if already quiesced.
	 */
	void quiesce();

	/**
	 * Ends {@link #quiesce()}: the peer is told ({@code RESUME}), the requests that waited are run in the order they
	 * arrived, and this side's held requests go out. Does nothing if not quiesced.
	 */
	void resume();

	/**
	 * Whether this side quiesced the link; the link is {@link LinkState#QUIESCED} also while only the peer is.
	 * @return whether {@link #quiesce()} is in force
	 */
	boolean isQuiesced();

	/**
	 * What the link looks like now, for health checks and operators.
	 * @return a snapshot
	 */
	LinkSnapshot snapshot();

}

package dev.dualsocket.endpoint;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.ha.ServedRequestStore;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.RequestHandler;
import dev.dualsocket.link.RequestObserver;
import dev.dualsocket.observation.RequestObservations;
import org.jspecify.annotations.Nullable;

/**
 * One configured endpoint: a client with one link to its peer, or a server with one link per connected client.
 * Both roles send requests ({@link #request}) and answer them (the {@link RequestHandler}).
 */
public interface DualSocketEndpoint {

	/**
	 * The endpoint's name, as configured under {@code dual-socket.endpoints}.
	 * @return the name
	 */
	String getName();

	/**
	 * The endpoint's role.
	 * @return client or server
	 */
	EndpointRole getRole();

	/**
	 * Sends a request on a client endpoint's link. A server endpoint has one link per client: address one with
	 * {@link #link(String)}.
	 * @param payload the request payload
	 * @return the response, as described by {@link DualSocketLink#request(byte[])}
	 * @throws IllegalStateException on a server endpoint, or before the endpoint started
	 */
	CompletableFuture<byte[]> request(byte[] payload);

	/**
	 * Sends a request on a client endpoint's link, converting payload and response with the payload codec.
	 * @param <T> the response type
	 * @param payload the request payload
	 * @param responseType the type the response is decoded to
	 * @return the response, as described by {@link DualSocketLink#request(Object, Class)}
	 * @throws IllegalStateException on a server endpoint, or before the endpoint started
	 */
	<T> CompletableFuture<T> request(Object payload, Class<T> responseType);

	/**
	 * Sends a request of a message type on a client endpoint's link.
	 * @param <T> the response type
	 * @param messageType the message type
	 * @param payload the request payload
	 * @param responseType the type the response is decoded to
	 * @return the response, as described by {@link DualSocketLink#request(String, Object, Class)}
	 * @throws IllegalStateException on a server endpoint, or before the endpoint started
	 */
	<T> CompletableFuture<T> request(String messageType, Object payload, Class<T> responseType);

	/**
	 * The link with the given id.
	 * @param linkId the link id
	 * @return the link
	 * @throws IllegalArgumentException if the endpoint has no such link; the message lists the links it has
	 */
	DualSocketLink link(String linkId);

	/**
	 * The link with the given id, if the endpoint has it.
	 * @param linkId the link id
	 * @return the link, or empty
	 */
	Optional<DualSocketLink> findLink(String linkId);

	/**
	 * The endpoint's links: a client's one link (once started), a server's current links.
	 * @return the links
	 */
	Collection<DualSocketLink> links();

	/**
	 * Sets what answers the requests peers send to this endpoint.
	 * @param handler the handler
	 */
	void setRequestHandler(RequestHandler handler);

	/**
	 * Sets how payload objects are converted to bytes and back; by default only {@code byte[]} and {@code String}.
	 * @param codec the codec
	 */
	void setPayloadCodec(PayloadCodec codec);

	/**
	 * How payload objects are converted now: the one set, or the one of the endpoint's wire protocol (jPOS's
	 * {@code ISOMsg}, SMPP PDUs), which listeners of the endpoint use too.
	 * @return the codec
	 */
	PayloadCodec getPayloadCodec();

	/**
	 * Whether a request handler is set: without one, every request a peer sends is answered {@code NO_HANDLER}.
	 * @return whether {@link #setRequestHandler} was called
	 */
	boolean hasRequestHandler();

	/**
	 * Sets what is told about every request's outcome, for metrics.
	 * @param observer the observer
	 */
	void setRequestObserver(RequestObserver observer);

	/**
	 * Sets what observes each request, as a Micrometer Observation on each side with the trace context carried in
	 * the request's header fields; {@link RequestObservations#OFF} by default.
	 * @param observations the observations
	 */
	void setRequestObservations(RequestObservations observations);

	/**
	 * Sets the fencing epoch of this instance for the endpoint, when several instances of the service take turns to
	 * run it (section 4.6 of the protocol): a client sends it in every {@code HELLO} and a server refuses one lower
	 * than the highest it has seen for the link ({@code STALE_EPOCH}); a server sends it in every
	 * {@code HELLO_ACCEPT} and a client refuses a lower one than it has seen. Read at every handshake; 0 (the
	 * default) sends none.
	 * @param epoch the epoch this instance holds now
	 */
	void setFencingEpoch(LongSupplier epoch);

	/**
	 * Sets the store of served requests that this endpoint shares with the other instances of the service, so that a
	 * request re-sent to another instance after a failover is not run again (section 6.6 of the protocol). Set before
	 * {@link #start()}; {@code null} (the default) keeps served requests in memory for one session.
	 * @param store the shared store, or {@code null}
	 */
	void setServedRequestStore(@Nullable ServedRequestStore store);

	/**
	 * Drops a link and establishes it again: a client re-connects both sockets at once; a server closes the link and
	 * waits for its client to come back.
	 * @param linkId the link id
	 */
	void reconnect(String linkId);

	/**
	 * Quiesces every link of the endpoint, and every link it makes until {@link #resume()}: see
	 * {@link DualSocketLink#quiesce()}. The links stay up; peers see them {@code QUIESCED}, not failed.
	 */
	void quiesce();

	/**
	 * Resumes the endpoint and every link of it: see {@link DualSocketLink#resume()}. A link quiesced on its own is
	 * resumed too.
	 */
	void resume();

	/**
	 * Whether the endpoint is quiesced ({@link #quiesce()} without a {@link #resume()} since).
	 * @return whether it is
	 */
	boolean isQuiesced();

	/**
	 * Starts the endpoint: a server binds its port; a client starts establishing its link in the background.
	 * @throws EndpointStartException if a server cannot bind its port
	 */
	void start();

	/**
	 * Stops the endpoint in order: peers are told, requests in flight either way get up to {@code drainTimeout} to
	 * finish, then every socket is closed.
	 * @param drainTimeout how long to wait for requests in flight
	 */
	void stop(Duration drainTimeout);

	/**
	 * Whether the endpoint is started and not stopped.
	 * @return {@code true} while running
	 */
	boolean isRunning();

}

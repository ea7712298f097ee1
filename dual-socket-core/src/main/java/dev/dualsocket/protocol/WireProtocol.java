package dev.dualsocket.protocol;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.EndpointSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import org.jspecify.annotations.Nullable;

/**
 * A wire protocol an endpoint speaks on the two connections of its links: the binding between the peer's bytes and
 * the engine, which knows no protocol itself. This project's own protocol ({@link DualSocketProtocol}) is one binding;
 * {@code dual-socket-iso8583} and {@code dual-socket-smpp} hold others.
 *
 * <p>A binding answers six questions, each with one method here:
 * <ol>
 * <li><b>Framing</b>: {@link #initConnection} adds the handlers that cut the byte stream into the protocol's messages
 * and translate each into an engine {@link dev.dualsocket.transport.Frame} and back.</li>
 * <li><b>The per-connection handshake</b>: {@link #newClientHandshake} and {@link #newServerHandshake} (this project's
 * {@code HELLO}; SMPP's {@code bind_transmitter} / {@code bind_receiver}; none).</li>
 * <li><b>The heartbeat</b>, from which the probe of Figs. 5 and 7 is made: the engine sends a {@code HEARTBEAT}
 * frame carrying a nonce and expects a {@code HEARTBEAT_ACK} echoing it; the binding encodes them as its protocol's
 * heartbeat ({@code enquire_link}, an 0800 echo test) and maps the answer back to the nonce.</li>
 * <li><b>Correlation</b> of a response with its request: the engine gives each request an id and expects the
 * answer's frame to carry it; the binding maps the id to and from what its protocol correlates by (a sequence
 * number, an MTI pair and a key). Ids the binding gives to the peer's requests come from
 * {@link dev.dualsocket.transport.Connections#nextPeerRequestId}, so they never repeat within a session.</li>
 * <li><b>Pairing</b> of the two connections of one peer: {@link #getPairing()}.</li>
 * <li><b>What re-sends mean</b>: {@link #getInFlightPolicy()}.</li>
 * </ol>
 *
 * <h2>The frames a binding exchanges with the engine</h2>
 * After the handshake the binding's decoder hands the engine these frames, and its encoder takes them:
 * <ul>
 * <li>{@code REQUEST} (id, payload; optionally the message-type header field, by which listeners are chosen): only
 * on the socket where the peer sends requests (the engine refuses one on the other socket as a protocol violation,
 * and a {@code RESPONSE} or {@code ERROR} on this one, so a binding that cannot tell its sockets apart need not);</li>
 * <li>{@code RESPONSE} and {@code ERROR} (the id of the request answered; an {@code ERROR}'s payload is an
 * {@link dev.dualsocket.transport.ErrorReply}): only on the socket where this side sends requests. The encoder turns
 * an engine {@code ERROR} into its protocol's negative answer;</li>
 * <li>{@code HEARTBEAT} and {@code HEARTBEAT_ACK} (the nonce) on both sockets. A {@code HEARTBEAT}'s payload is
 * this project's watermark; another binding ignores it;</li>
 * <li>{@code CLOSE}: the peer says it is closing (its payload a reason in UTF-8), or this side does. A binding whose
 * protocol has no such message drops the engine's.</li>
 * </ul>
 * {@code QUIESCE} and {@code RESUME} are sent only to a peer whose handshake said it understands them, which only
 * this project's protocol can say. Header fields are sent only on a connection marked by
 * {@link dev.dualsocket.transport.Connections#handshakeCompleted} with version 2; a binding never sees them.
 *
 * <p>Implementations are immutable and shared by all connections of an endpoint; what a connection needs is kept in
 * the handlers it makes.
 */
public interface WireProtocol {

	/**
	 * The protocol's name, as in the {@code protocol} property: {@code dual-socket}, {@code iso8583}, {@code smpp}.
	 * @return the name
	 */
	String getName();

	/**
	 * What this binding can promise about requests in flight when a connection fails.
	 * @return the policy
	 */
	InFlightPolicy getInFlightPolicy();

	/**
	 * How a server knows which link, and which of its two sockets, a new connection is.
	 * @return the pairing
	 */
	Pairing getPairing();

	/**
	 * The codec of this protocol's payloads, for {@code request(Object, Class)} and listeners that take objects: a
	 * binding whose messages are objects of a library (jPOS's {@code ISOMsg}, an SMPP PDU) gives its own.
	 * @return the codec, or {@code null} for the endpoint's (bytes as they are, other types through Jackson)
	 */
	default @Nullable PayloadCodec getPayloadCodec() {
		return null;
	}

	/**
	 * Checks that an endpoint's settings suit this protocol, when the endpoint is made.
	 * @param settings the endpoint's settings
	 * @throws IllegalArgumentException naming the setting and what it may be
	 */
	default void validate(EndpointSettings settings) {
	}

	/**
	 * Adds the framing and translation handlers to a new connection's pipeline, after TLS (if any) and before the
	 * handshake. Runs on the connection's event loop.
	 * @param channel the connection
	 * @param setup what is known of the connection before its handshake
	 */
	void initConnection(Channel channel, ConnectionSetup setup);

	/**
	 * Makes the handler that runs the client's side of a new connection's handshake. It starts when the connection
	 * is active and ends with {@link ClientHandshake#accepted} or {@link ClientHandshake#failed}, then removes itself.
	 * @param handshake what the connection is for, and where to report
	 * @return a new handler, for this connection only
	 */
	ChannelHandler newClientHandshake(ClientHandshake handshake);

	/**
	 * Makes the handler that runs the server's side of an accepted connection's handshake. It asks
	 * {@link ServerHandshake#decide} where the connection goes, writes its answer, runs the decision's attach step and
	 * only then flushes the answer (so that a client acting on it at once finds the connection attached), calls
	 * {@link ServerHandshake#finished} once, and removes itself; a connection that does not finish within
	 * {@link ServerHandshake#timeout()} is closed.
	 * @param handshake the endpoint's side of the handshake
	 * @return a new handler, for this connection only
	 */
	ChannelHandler newServerHandshake(ServerHandshake handshake);

}

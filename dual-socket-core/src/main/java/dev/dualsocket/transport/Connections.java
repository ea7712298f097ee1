package dev.dualsocket.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import dev.dualsocket.FailureCause;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * Records why a connection is being closed, so that whoever sees it close can report the real cause rather than
 * a bare end of stream.
 */
public final class Connections {

	private static final AttributeKey<SocketFailure> FAILURE = AttributeKey.valueOf(Connections.class, "failure");

	private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

	private static final AttributeKey<String> LINK_ID = AttributeKey.valueOf(Connections.class, "link");

	private static final AttributeKey<SocketRole> SOCKET = AttributeKey.valueOf(Connections.class, "socket");

	private static final AttributeKey<Integer> PEER_CAPABILITIES = AttributeKey.valueOf(Connections.class,
			"peer-capabilities");

	private static final AttributeKey<Integer> VERSION = AttributeKey.valueOf(Connections.class, "version");

	private static final AttributeKey<AtomicLong> PEER_REQUEST_IDS = AttributeKey.valueOf(Connections.class,
			"peer-request-ids");

	private Connections() {
	}

	/**
	 * Closes a connection because it failed. The first recorded cause wins.
	 * @param channel the connection
	 * @param failure why it failed
	 */
	public static void fail(Channel channel, SocketFailure failure) {
		recordFailure(channel, failure);
		channel.close();
	}

	/**
	 * Records why a connection is about to fail, unless a reason is recorded already, without closing it yet.
	 * @param channel the connection
	 * @param failure why
	 */
	public static void recordFailure(Channel channel, SocketFailure failure) {
		channel.attr(FAILURE).setIfAbsent(failure);
	}

	/**
	 * Why a closed connection closed.
	 * @param channel the connection
	 * @return the recorded failure, or an end of stream when none was recorded
	 */
	public static SocketFailure failureOf(Channel channel) {
		SocketFailure failure = channel.attr(FAILURE).get();
		return (failure != null) ? failure : new SocketFailure(FailureCause.END_OF_STREAM, "connection closed by peer");
	}

	/**
	 * The recorded failure, if any.
	 * @param channel the connection
	 * @return the failure or {@code null}
	 */
	public static @Nullable SocketFailure recordedFailureOf(Channel channel) {
		return channel.attr(FAILURE).get();
	}

	/**
	 * Notes what the handshake of a connection agreed (section 4 of the protocol).
	 * @param channel the connection
	 * @param version the protocol version both sides speak on it
	 * @param capabilities the capabilities bit set of the peer's {@code HELLO} or {@code HELLO_ACCEPT}; 0 in version 1
	 */
	public static void handshakeCompleted(Channel channel, int version, int capabilities) {
		channel.attr(VERSION).set(version);
		channel.attr(PEER_CAPABILITIES).set(capabilities);
	}

	/**
	 * Whether frames on a connection may carry header fields: its handshake agreed on version 2 (section 2.1).
	 * @param channel the connection
	 * @return whether it did
	 */
	public static boolean carriesHeaderFields(Channel channel) {
		Integer version = channel.attr(VERSION).get();
		return version != null && version >= 2;
	}

	/**
	 * Whether the server of a client's connection keeps the answers of keyed requests across sessions (capability bit
	 * 2 of its {@code HELLO_ACCEPT}, section 6.6 of the protocol).
	 * @param channel a client's connection whose handshake completed
	 * @return whether it does
	 */
	public static boolean serverKeepsAnswers(Channel channel) {
		Integer capabilities = channel.attr(PEER_CAPABILITIES).get();
		return capabilities != null && (capabilities & Hello.CAPABILITY_REQUEST_KEYS) != 0;
	}

	/**
	 * Whether the peer on a connection understands {@code QUIESCE} and {@code RESUME} (section 6.5 of the protocol).
	 * @param channel the connection
	 * @return whether its handshake offered the capability
	 */
	public static boolean peerUnderstandsQuiesce(Channel channel) {
		Integer capabilities = channel.attr(PEER_CAPABILITIES).get();
		return capabilities != null && (capabilities & Hello.CAPABILITY_QUIESCE) != 0;
	}

	/**
	 * Gives a connection the source of ids for the peer's requests of its session; the link does so when it attaches
	 * the connection, before anything after the handshake is read.
	 * @param channel the connection
	 * @param ids the session's source
	 */
	public static void usePeerRequestIds(Channel channel, AtomicLong ids) {
		channel.attr(PEER_REQUEST_IDS).set(ids);
	}

	/**
	 * A new id for a request the peer sent, for a protocol binding whose protocol has no request ids of the engine's
	 * kind (section 6.1): unique within the connection's session, whichever of its connections the request came on, so
	 * that the record of served requests never takes one request for another.
	 * @param channel an attached connection
	 * @return the id, from 1 up
	 * @throws IllegalStateException if the connection is not attached to a link
	 */
	public static long nextPeerRequestId(Channel channel) {
		AtomicLong ids = channel.attr(PEER_REQUEST_IDS).get();
		if (ids == null) {
			throw new IllegalStateException("connection " + describe(channel) + " is not attached to a link");
		}
		return ids.incrementAndGet();
	}

	/**
	 * Fails one of this side's requests without sending it, for a protocol binding's encoder that finds it cannot go
	 * out (its payload is no message of the protocol, its answer could not be told from another's): the engine gets an
	 * {@code ERROR} {@code HANDLER_FAILED} for it as if from the peer, so that its caller fails at once, and the
	 * connection carries on. The frame is handed on after the write in progress, never from inside it, where the
	 * link's writer is still draining its queue.
	 * @param ctx the binding's handler's context
	 * @param requestId the engine's id of the request
	 * @param why a sentence for the caller, starting with "not sent: "
	 */
	public static void refuseRequest(ChannelHandlerContext ctx, long requestId, String why) {
		Frame error = new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED, why).toFrame(requestId);
		ctx.executor().execute(() -> {
			ctx.fireChannelRead(error);
			ctx.fireChannelReadComplete();
		});
	}

	/**
	 * Notes which link and socket a connection carries, for log lines and events about it.
	 * @param channel the connection
	 * @param linkId the link
	 * @param socket the socket, from this side's point of view
	 */
	public static void label(Channel channel, String linkId, SocketRole socket) {
		channel.attr(LINK_ID).set(linkId);
		channel.attr(SOCKET).set(socket);
	}

	/**
	 * The link a connection carries.
	 * @param channel the connection
	 * @return the link id, or {@code null} before the connection joined a link
	 */
	public static @Nullable String linkIdOf(Channel channel) {
		return channel.attr(LINK_ID).get();
	}

	/**
	 * Describes a connection for a log line: its peer's address and, once known, the link and socket it carries.
	 * @param channel the connection
	 * @return for example {@code "/127.0.0.1:51234 (link orders-1, inbound socket)"}
	 */
	public static String describe(Channel channel) {
		String linkId = channel.attr(LINK_ID).get();
		SocketRole socket = channel.attr(SOCKET).get();
		String peer = String.valueOf(channel.remoteAddress());
		return (linkId != null && socket != null) ? peer + " (link " + linkId + ", " + socket.label() + " socket)" : peer;
	}

	/**
	 * Describes an error in the operating system's words, without the native transport's system-call prefix
	 * ({@code "recvAddress(..) failed with error(-104): "}), falling back to the exception's type.
	 * @param error the error
	 * @return for example {@code "Connection reset by peer"}
	 */
	public static String describeError(Throwable error) {
		String message = error.getMessage();
		if (message == null || message.isBlank()) {
			return error.getClass().getSimpleName();
		}
		return NATIVE_PREFIX.matcher(message).replaceFirst("");
	}

}

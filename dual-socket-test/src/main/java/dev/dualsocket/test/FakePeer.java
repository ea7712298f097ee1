package dev.dualsocket.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.SocketRole;
import dev.dualsocket.test.RawConnection.RawFrame;
import dev.dualsocket.test.RawConnection.RawHello;
import org.jspecify.annotations.Nullable;

/**
 * A scripted server peer on 127.0.0.1 that speaks the wire protocol ({@code docs/PROTOCOL.md}) over real sockets,
 * for testing a client endpoint against a peer that misbehaves on cue. It opens and joins sessions with tokens as a
 * server does, answers heartbeats, and answers each request as its {@link Responder} says: with a response, an
 * error, the same a while later, or not at all.
 *
 * <pre class="code">
 * try (FakePeer peer = FakePeer.start()) {
 *     peer.respond((request) -&gt; switch (request.text()) {
 *         case "slow" -&gt; Reply.answer("late").after(Duration.ofSeconds(2));
 *         case "lost" -&gt; Reply.silence();
 *         default -&gt; Reply.answer("ok");
 *     });
 *     // ... a client endpoint connects to 127.0.0.1:peer.port() ...
 * }
 * </pre>
 *
 * <p>Sockets are named as the client names them: the client's {@link SocketRole#OUTBOUND outbound} socket
 * ({@code CLIENT_OUTBOUND}, channel 1) carries its requests. A request the client sends again after a re-connect
 * (same session, same id) is not handed to the responder again: its answer is sent again if it was given, and nothing
 * happens if it is still pending or silenced. The peer sends no heartbeats and no requests of its own.
 */
public final class FakePeer implements AutoCloseable {

	private static final int CLIENT_OUTBOUND = 1;

	private static final int CLIENT_INBOUND = 2;

	private static final int SESSION_ENDED = 3;

	private static final SecureRandom RANDOM = new SecureRandom();

	/** What a request id that was taken and not answered (yet, or ever) stands for. */
	private static final Reply PENDING = Reply.silence();

	private final ServerSocket listener;

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "fake-peer-timer");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final List<RawConnection> open = new CopyOnWriteArrayList<>();

	private final Set<SocketRole> heartbeatsIgnored = ConcurrentHashMap.newKeySet();

	private final Map<SocketRole, AtomicInteger> connects = new EnumMap<>(Map.of(SocketRole.OUTBOUND,
			new AtomicInteger(), SocketRole.INBOUND, new AtomicInteger()));

	private volatile Responder responder = (request) -> Reply.answer(request.payload());

	private volatile boolean closed;

	private FakePeer() throws IOException {
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "fake-peer-accept-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a peer listening on a free port of 127.0.0.1, answering every request with its own payload.
	 * @return the peer
	 * @throws IOException if no port can be bound
	 */
	public static FakePeer start() throws IOException {
		return new FakePeer();
	}

	/**
	 * The port the peer listens on: the port for the client endpoint.
	 * @return the port
	 */
	public int port() {
		return this.listener.getLocalPort();
	}

	/**
	 * Sets how the peer answers the requests that arrive from now on.
	 * @param responder what to do with each request; if it throws, the request is answered with an error
	 * {@code HANDLER_FAILED}
	 * @return this peer
	 */
	public FakePeer respond(Responder responder) {
		this.responder = responder;
		return this;
	}

	/**
	 * Switches answering heartbeats on one socket of every link on or off (on at the start). A client whose
	 * heartbeats stay unanswered declares that socket failed after its heartbeat timeout.
	 * @param clientSocket the socket, as the client names it
	 * @param answering whether to answer
	 */
	public void answerHeartbeats(SocketRole clientSocket, boolean answering) {
		if (answering) {
			this.heartbeatsIgnored.remove(clientSocket);
		}
		else {
			this.heartbeatsIgnored.add(clientSocket);
		}
	}

	/**
	 * Resets the current connection of one socket of every link, as a network fault would.
	 * @param clientSocket the socket, as the client names it
	 */
	public void cut(SocketRole clientSocket) {
		this.sessions.values().forEach((session) -> session.cut(clientSocket));
	}

	/**
	 * The requests the peer took, in the order they arrived; a copy sent again after a re-connect is not listed
	 * again.
	 * @return the requests
	 */
	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * How many connections joined a session on one socket: one per link at first, one more per re-connect.
	 * @param clientSocket the socket, as the client names it
	 * @return the count
	 */
	public int connects(SocketRole clientSocket) {
		return this.connects.get(clientSocket).get();
	}

	/**
	 * Stops listening and closes every connection.
	 * @throws IOException if the listener cannot be closed
	 */
	@Override
	public void close() throws IOException {
		this.closed = true;
		this.listener.close();
		this.timer.shutdownNow();
		this.open.forEach(FakePeer::closeQuietly);
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket socket = this.listener.accept();
				Thread reader = new Thread(() -> serve(socket), "fake-peer-" + socket.getPort());
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket socket) {
		RawConnection connection;
		try {
			connection = new RawConnection(socket, Duration.ZERO);
		}
		catch (IOException ex) {
			return;
		}
		this.open.add(connection);
		@Nullable Session session = null;
		@Nullable SocketRole role = null;
		try {
			RawFrame first = connection.readFrame();
			if (first.type() != RawConnection.HELLO) {
				return;
			}
			RawHello hello = first.hello();
			role = roleOf(hello.channel());
			boolean spoken = hello.version() == 1 || hello.version() == 2;
			if (!spoken || role == null) {
				connection.writeHelloReject(spoken ? 2 : 1, "the fake peer speaks versions 1 and 2, channels 1 and 2");
				return;
			}
			session = handshake(hello, role, connection);
			while (session != null) {
				if (!take(session, role, connection, connection.readFrame())) {
					connection.reset();
					return;
				}
			}
		}
		catch (IOException ex) {
			// the client closed or reset the connection, or the peer was closed
		}
		finally {
			this.open.remove(connection);
			if (session != null) {
				session.detach(role, connection);
			}
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(RawConnection connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	private @Nullable Session handshake(RawHello hello, SocketRole role, RawConnection connection) throws IOException {
		Session session;
		if (hello.token().length == 0) {
			byte[] token = new byte[16];
			RANDOM.nextBytes(token);
			session = new Session(hello.linkId(), hello.session(), token);
			Session previous = this.sessions.put(hello.linkId(), session);
			if (previous != null) {
				previous.end();
			}
		}
		else {
			session = this.sessions.get(hello.linkId());
			if (session == null || session.id != hello.session() || !MessageDigest.isEqual(session.token, hello.token())) {
				connection.writeHelloReject(SESSION_ENDED, "the fake peer holds no such session");
				return null;
			}
		}
		connection.writeHelloAccept(hello.version(), session.token);
		session.attach(role, connection);
		this.connects.get(role).incrementAndGet();
		return session;
	}

	/**
	 * Takes one frame after the handshake.
	 * @return {@code false} if it violates the protocol
	 */
	private boolean take(Session session, SocketRole role, RawConnection connection, RawFrame frame) throws IOException {
		switch (frame.type()) {
			case RawConnection.HEARTBEAT -> {
				if (!this.heartbeatsIgnored.contains(role)) {
					connection.writeFrame(RawConnection.HEARTBEAT_ACK, frame.id(), new byte[0]);
				}
				return true;
			}
			case RawConnection.REQUEST -> {
				if (role != SocketRole.OUTBOUND) {
					return false;
				}
				session.request(frame.id(), frame.payload());
				return true;
			}
			case RawConnection.HEARTBEAT_ACK, RawConnection.CLOSE -> {
				return true;
			}
			default -> {
				return false;
			}
		}
	}

	private static @Nullable SocketRole roleOf(int channel) {
		return switch (channel) {
			case CLIENT_OUTBOUND -> SocketRole.OUTBOUND;
			case CLIENT_INBOUND -> SocketRole.INBOUND;
			default -> null;
		};
	}

	/**
	 * One session of one link: its token, the connections attached, and what became of each request id.
	 */
	private final class Session {

		private final String linkId;

		private final long id;

		private final byte[] token;

		private final Map<SocketRole, RawConnection> attached = new ConcurrentHashMap<>();

		private final Map<Long, Reply> replies = new ConcurrentHashMap<>();

		private volatile boolean ended;

		Session(String linkId, long id, byte[] token) {
			this.linkId = linkId;
			this.id = id;
			this.token = token;
		}

		void attach(SocketRole role, RawConnection connection) {
			RawConnection previous = this.attached.put(role, connection);
			if (previous != null) {
				previous.reset();
			}
			if (this.ended) {
				connection.reset();
			}
		}

		void detach(SocketRole role, RawConnection connection) {
			this.attached.remove(role, connection);
		}

		void cut(SocketRole role) {
			RawConnection connection = this.attached.get(role);
			if (connection != null) {
				connection.reset();
			}
		}

		void end() {
			this.ended = true;
			this.attached.values().forEach(RawConnection::reset);
		}

		void request(long requestId, byte[] payload) {
			Reply known = this.replies.putIfAbsent(requestId, PENDING);
			if (known != null) {
				// A copy sent again after a re-connect: answered again if answered, else left alone.
				if (known.type != 0) {
					send(requestId, known);
				}
				return;
			}
			Request request = new Request(this.linkId, requestId, payload);
			FakePeer.this.requests.add(request);
			Reply reply;
			try {
				reply = FakePeer.this.responder.reply(request);
			}
			catch (RuntimeException ex) {
				reply = Reply.error(RemoteRequestException.Reason.HANDLER_FAILED,
						ex.getClass().getName() + ": " + ex.getMessage());
			}
			if (reply.type == 0) {
				return;
			}
			Reply answer = reply;
			if (answer.delay.isZero()) {
				answered(requestId, answer);
			}
			else {
				FakePeer.this.timer.schedule(() -> answered(requestId, answer), answer.delay.toNanos(),
						TimeUnit.NANOSECONDS);
			}
		}

		private void answered(long requestId, Reply reply) {
			this.replies.put(requestId, reply);
			send(requestId, reply);
		}

		/** On the connection of the client's outbound socket attached now, if any; never into another session. */
		private void send(long requestId, Reply reply) {
			RawConnection connection = this.attached.get(SocketRole.OUTBOUND);
			if (this.ended || connection == null) {
				return;
			}
			try {
				connection.writeFrame(reply.type, requestId, reply.payload);
			}
			catch (IOException ex) {
				// the connection failed meanwhile; a copy of the request will come on the next one
			}
		}

	}

	/**
	 * Decides how the peer answers one request.
	 */
	@FunctionalInterface
	public interface Responder {

		/**
		 * The answer to a request.
		 * @param request the request
		 * @return what the peer does
		 */
		Reply reply(Request request);

	}

	/**
	 * A request the peer took.
	 *
	 * @param linkId the link it came on
	 * @param id its id
	 * @param payload its payload
	 */
	public record Request(String linkId, long id, byte[] payload) {

		/**
		 * The payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	/**
	 * What the peer does with one request: answer it, answer it with an error, or stay silent; and answer at once or
	 * {@link #after(Duration) after a while}.
	 */
	public static final class Reply {

		private final int type;

		private final byte[] payload;

		private final Duration delay;

		private Reply(int type, byte[] payload, Duration delay) {
			this.type = type;
			this.payload = payload;
			this.delay = delay;
		}

		/**
		 * Answers with a {@code RESPONSE}.
		 * @param payload the response payload
		 * @return the reply
		 */
		public static Reply answer(byte[] payload) {
			return new Reply(RawConnection.RESPONSE, payload, Duration.ZERO);
		}

		/**
		 * Answers with a {@code RESPONSE} of UTF-8 text (or JSON, for a client with a JSON codec).
		 * @param text the response payload
		 * @return the reply
		 */
		public static Reply answer(String text) {
			return answer(text.getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * Answers with an {@code ERROR}, which the client's caller sees as a {@link RemoteRequestException} with the
		 * reason and message.
		 * @param reason the reason
		 * @param message the message
		 * @return the reply
		 */
		public static Reply error(RemoteRequestException.Reason reason, String message) {
			byte[] text = message.getBytes(StandardCharsets.UTF_8);
			byte[] payload = ByteBuffer.allocate(2 + text.length)
				.putShort((short) (reason.ordinal() + 1))
				.put(text)
				.array();
			return new Reply(RawConnection.ERROR, payload, Duration.ZERO);
		}

		/**
		 * Never answers: the client's caller sees its request time out.
		 * @return the reply
		 */
		public static Reply silence() {
			return new Reply(0, new byte[0], Duration.ZERO);
		}

		/**
		 * The same answer, sent after a delay (measured from the request's arrival); the peer goes on with other
		 * requests and heartbeats meanwhile.
		 * @param delay the delay
		 * @return the delayed reply
		 */
		public Reply after(Duration delay) {
			return new Reply(this.type, this.payload, delay);
		}

	}

}

package dev.dualsocket.test;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.dualsocket.test.RawConnection.RawFrame;
import org.jspecify.annotations.Nullable;

/**
 * A hostile peer on 127.0.0.1 or any address: point it at your own server endpoint to check it withstands these.
 * Each scenario runs for a given count or duration over plain JDK sockets, speaking the wire protocol as
 * {@code docs/PROTOCOL.md} describes it and independent of the library's codec, and returns what the server did:
 * how many connections it accepted, closed, refused and why. Run your legitimate links next to it and check that they
 * noticed nothing, and that the server's memory stayed bounded ({@link MemoryProbe}).
 *
 * <pre class="code">
 * Attacker attacker = Attacker.against("127.0.0.1", Endpoints.boundPort(server));
 * ConnectionFlood flood = attacker.connectionFlood(10_000);
 * assertThat(flood.leftOpen()).isZero();
 * </pre>
 *
 * <p>The floods that speak the protocol come as links of their own ({@code attacker-requests-<n>},
 * {@code attacker-heartbeats}): a server with a connection or link limit counts them like any other. The handshake
 * helpers ({@link #newSessionFor(String)}, {@link #join}, {@link #replay(byte[])}) send one {@code HELLO} on a
 * connection of their own, return the server's answer and close the connection.
 */
public final class Attacker {

	/**
	 * The most connections the connection flood holds open at once: it waits for the server to close some before it
	 * opens more, so that a flood of any size costs this JVM a bounded number of file descriptors, which matters where
	 * the server under attack runs in the same JVM. Above a server's default {@code max-pending-handshakes} (1024), so
	 * that the limit is reached.
	 */
	public static final int MAX_OPEN_CONNECTIONS = 2048;

	/** The payload of each request of the request flood, in bytes; a server that echoes it answers as much. */
	public static final int REQUEST_PAYLOAD = 4096;

	private static final List<String> REJECT_REASONS = List.of("UNSUPPORTED_VERSION", "MALFORMED_HELLO",
			"SESSION_ENDED", "AUTHENTICATION_FAILED", "SHUTTING_DOWN", "LINK_LIMIT", "LINK_IN_USE");

	private final InetSocketAddress server;

	private final Duration patience;

	private final Floods floods;

	private Attacker(InetSocketAddress server, Duration patience) {
		this.server = server;
		this.patience = patience;
		this.floods = new Floods(server, patience);
	}

	/**
	 * An attacker of a server endpoint, which waits up to 30 s for each answer or close it expects.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the attacker
	 */
	public static Attacker against(String host, int port) {
		return new Attacker(new InetSocketAddress(host, port), Duration.ofSeconds(30));
	}

	/**
	 * The same attacker with another patience: how long a connect or a read waits, and how long the connection flood
	 * waits for the server to close what it opened. Keep it above the server's handshake timeout
	 * ({@code connect-timeout}).
	 * @param patience the longest wait
	 * @return the attacker
	 */
	public Attacker withPatience(Duration patience) {
		return new Attacker(this.server, patience);
	}

	/**
	 * Opens connections one after another from one address and sends nothing on them, holding at most
	 * {@link #MAX_OPEN_CONNECTIONS} open and closing each one as soon as the server closes it. A server should close
	 * those beyond its limit of connections waiting for their {@code HELLO} at once and the rest after its handshake
	 * timeout (section 4.3 of the protocol).
	 * @param connections how many connections to open
	 * @return what the server did with them
	 * @throws IOException if no selector can be opened
	 */
	public ConnectionFlood connectionFlood(int connections) throws IOException {
		return this.floods.connections(connections);
	}

	/**
	 * Floods requests from links that never read their answers: each of {@code connections} threads opens a link of
	 * its own (channel 1 opens a session, channel 2 joins it with the token of the {@code HELLO_ACCEPT}, section 4 of
	 * the protocol), then writes {@code REQUEST} frames of {@link #REQUEST_PAYLOAD} bytes on channel 1 as fast as it
	 * can and never reads it. On channel 2 it answers the server's heartbeats, so that only what it does on channel 1
	 * can fail the link. When the server closes the connection it opens the link again, in a new session, until the
	 * duration is over. A server should stop reading such a connection (section 6.4) and close it when its heartbeats
	 * go unanswered (section 5).
	 * @param connections how many links flood at once
	 * @param duration how long they flood
	 * @return what the server did
	 * @throws InterruptedException if interrupted while waiting for the floods to end
	 */
	public RequestFlood requestFloodWithoutReading(int connections, Duration duration) throws InterruptedException {
		return this.floods.requestsWithoutReading(connections, duration);
	}

	/**
	 * Floods heartbeats from one link: on channel 1 it writes 256 {@code HEARTBEAT}s at once and reads until the
	 * server closes the connection, counting the answers; then it joins channel 1 to the session again (or opens a new
	 * session if the server no longer holds it) and floods again, until the duration is over. A server should close
	 * each such connection after at most 50 heartbeats (section 5 of the protocol).
	 * @param duration how long to flood
	 * @return what the server did
	 * @throws IOException if the link cannot be opened in the first place
	 */
	public HeartbeatFlood heartbeatFlood(Duration duration) throws IOException {
		return this.floods.heartbeats(duration);
	}

	/**
	 * Opens a new session for a link id that a legitimate client holds, as a stranger (or the client after a restart)
	 * would: a version-2 {@code HELLO} on channel 1 with a fresh session id, an empty token and a client nonce. A
	 * server that challenges it gets a guessed proof, since a stranger has no secret.
	 * @param liveLinkId the link id
	 * @return the server's answer, with the session id the {@code HELLO} named
	 * @throws IOException if the connection cannot be made
	 */
	public Answer newSessionFor(String liveLinkId) throws IOException {
		long session = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
		return exchange(helloV2(1, session, liveLinkId, new byte[0]), session, null);
	}

	/**
	 * Joins a connection to a session, as a client re-connecting a socket does: a version-2 {@code HELLO} with the
	 * session's id and token; a challenge gets a guessed proof.
	 * @param linkId the link id
	 * @param sessionId the session id
	 * @param token the session token (a known or guessed one)
	 * @param channel 1 ({@code CLIENT_OUTBOUND}) or 2 ({@code CLIENT_INBOUND})
	 * @return the server's answer
	 * @throws IOException if the connection cannot be made
	 */
	public Answer join(String linkId, long sessionId, byte[] token, int channel) throws IOException {
		return exchange(helloV2(channel, sessionId, linkId, token), sessionId, null);
	}

	/**
	 * Sends bytes as they are as the first frame of a new connection, such as a {@code HELLO} captured off the wire.
	 * @param capturedHelloFrame the bytes, length prefix included
	 * @return the server's answer, with the session id read from the bytes if they are a {@code HELLO}, else 0
	 * @throws IOException if the connection cannot be made
	 */
	public Answer replay(byte[] capturedHelloFrame) throws IOException {
		return replay(capturedHelloFrame, null);
	}

	/**
	 * Replays a captured authenticated handshake on a new connection: the {@code HELLO} and, when the server
	 * challenges it, the captured {@code HELLO_PROOF} (section 4.5 of the protocol), which the new challenge's nonce
	 * makes worthless.
	 * @param capturedHelloFrame the {@code HELLO}, length prefix included
	 * @param capturedProofFrame the {@code HELLO_PROOF} that followed it, length prefix included, or {@code null} to
	 * answer a challenge with a guess
	 * @return the server's answer
	 * @throws IOException if the connection cannot be made
	 */
	public Answer replay(byte[] capturedHelloFrame, byte @Nullable [] capturedProofFrame) throws IOException {
		boolean hello = capturedHelloFrame.length >= 25 && capturedHelloFrame[4] == RawConnection.HELLO;
		return exchange(capturedHelloFrame, hello ? ByteBuffer.wrap(capturedHelloFrame).getLong(17) : 0,
				capturedProofFrame);
	}

	/**
	 * A version-2 {@code HELLO} frame (section 4.1 of the protocol) that offers authentication: capabilities 1 and a
	 * fresh client nonce.
	 */
	private static byte[] helloV2(int channel, long session, String linkId, byte[] token) {
		byte[] id = linkId.getBytes(StandardCharsets.UTF_8);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		int fields = 8 + 4 + nonce.length;
		int payload = 2 + 1 + 8 + 2 + id.length + 2 + 2 + token.length + 2 + fields;
		return ByteBuffer.allocate(14 + payload)
			.putInt(10 + payload).put((byte) RawConnection.HELLO).put((byte) 0).putLong(0)
			.putShort((short) 2).put((byte) channel).putLong(session)
			.putShort((short) id.length).put(id)
			.putShort((short) 0)
			.putShort((short) token.length).put(token)
			.putShort((short) fields).putShort((short) 1).putShort((short) 4).putInt(1)
			.putShort((short) 2).putShort((short) nonce.length).put(nonce)
			.array();
	}

	/**
	 * A {@code HELLO} frame (section 4.1 of the protocol), length prefix included.
	 * @param version the protocol version
	 * @param channel 1 ({@code CLIENT_OUTBOUND}) or 2 ({@code CLIENT_INBOUND})
	 * @param session the session id
	 * @param linkId the link id
	 * @param credentials the credentials; empty unless the server authenticates
	 * @param token the session token; empty to open a session
	 * @return the frame's bytes
	 */
	public static byte[] hello(int version, int channel, long session, String linkId, byte[] credentials,
			byte[] token) {
		byte[] id = linkId.getBytes(StandardCharsets.UTF_8);
		int payload = 2 + 1 + 8 + 2 + id.length + 2 + credentials.length + 2 + token.length;
		return ByteBuffer.allocate(14 + payload)
			.putInt(10 + payload).put((byte) RawConnection.HELLO).put((byte) 0).putLong(0)
			.putShort((short) version).put((byte) channel).putLong(session)
			.putShort((short) id.length).put(id)
			.putShort((short) credentials.length).put(credentials)
			.putShort((short) token.length).put(token)
			.array();
	}

	private Answer exchange(byte[] hello, long session, byte @Nullable [] proof) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(this.server, millis(this.patience));
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		try (RawConnection connection = new RawConnection(socket, this.patience)) {
			return answerTo(connection, hello, session, proof);
		}
	}

	/** Sends a {@code HELLO} and reads the server's answer. */
	static Answer answerTo(RawConnection connection, byte[] hello, long session) throws IOException {
		return answerTo(connection, hello, session, null);
	}

	/**
	 * Sends a {@code HELLO} and reads the server's answer; a challenge is answered with the given proof frame, or
	 * with a guessed proof.
	 */
	static Answer answerTo(RawConnection connection, byte[] hello, long session, byte @Nullable [] proof)
			throws IOException {
		RawFrame answer;
		try {
			connection.writeBytes(hello);
			answer = connection.readFrame();
			if (answer.type() == RawConnection.HELLO_CHALLENGE) {
				if (proof != null) {
					connection.writeBytes(proof);
				}
				else {
					byte[] guess = new byte[32];
					ThreadLocalRandom.current().nextBytes(guess);
					connection.writeFrame(RawConnection.HELLO_PROOF, 0, guess);
				}
				answer = connection.readFrame();
			}
		}
		catch (SocketTimeoutException ex) {
			return new Answer(Answer.Outcome.SILENT, session, new byte[0], 0, "");
		}
		catch (EOFException | SocketException ex) {
			return new Answer(Answer.Outcome.CLOSED, session, new byte[0], 0, "");
		}
		byte[] payload = answer.payload();
		return switch (answer.type()) {
			case RawConnection.HELLO_ACCEPT ->
				new Answer(Answer.Outcome.ACCEPTED, session, answer.shortBytesAt(2), 0, "");
			case RawConnection.HELLO_REJECT -> new Answer(Answer.Outcome.REJECTED, session, new byte[0],
					(payload.length >= 2) ? answer.unsignedShortAt(0) : 0,
					new String(payload, Math.min(2, payload.length), Math.max(0, payload.length - 2),
							StandardCharsets.UTF_8));
			default -> throw new IOException(String.format("the server broke the protocol: it answered a HELLO with "
					+ "frame type 0x%02x", answer.type()));
		};
	}

	private static int millis(Duration duration) {
		return Math.toIntExact(duration.toMillis());
	}

	/**
	 * What the server did with a connection flood.
	 *
	 * @param opened connections opened
	 * @param refused connection attempts that failed (refused, or not accepted within the patience)
	 * @param closedAtOnce connections the server closed within a second of their opening
	 * @param closedLater connections the server closed later, such as after its handshake timeout
	 * @param answered connections on which the server sent anything (it has no {@code HELLO} to answer)
	 * @param leftOpen connections the server had not closed when the patience ran out
	 * @param longestOpen the longest time a connection stayed open
	 * @param elapsed how long the flood took
	 */
	public record ConnectionFlood(int opened, int refused, int closedAtOnce, int closedLater, int answered,
			int leftOpen, Duration longestOpen, Duration elapsed) {
	}

	/**
	 * What the server did with a request flood.
	 *
	 * @param sessions links opened (one per connection that flooded)
	 * @param handshakesFailed attempts to open a link that the server refused or did not answer, not counting
	 * {@code LINK_IN_USE} while the flood's previous session of the same link was still going (section 4.4)
	 * @param requestsWritten requests written in full, on all connections
	 * @param mostBytesOnOneConnection the most bytes the server took on one connection before it closed it or the
	 * flood ended: bounded if the server stops reading
	 * @param stoppedReading connections on which the server stopped reading (writes made no progress for 500 ms)
	 * @param closedByServer connections the server closed during the flood
	 */
	public record RequestFlood(int sessions, int handshakesFailed, long requestsWritten, long mostBytesOnOneConnection,
			int stoppedReading, int closedByServer) {
	}

	/**
	 * What the server did with a heartbeat flood.
	 *
	 * @param connections connections flooded
	 * @param heartbeatsSent heartbeats written
	 * @param mostAnsweredOnOneConnection the most heartbeats the server answered on one connection
	 * @param closedByServer connections the server closed
	 * @param slowestClose the longest time from a burst to the server's close
	 */
	public record HeartbeatFlood(int connections, long heartbeatsSent, int mostAnsweredOnOneConnection,
			int closedByServer, Duration slowestClose) {
	}

	/**
	 * The server's answer to one {@code HELLO}.
	 *
	 * @param outcome what the server did
	 * @param session the session id the {@code HELLO} named
	 * @param token the token of a {@code HELLO_ACCEPT}, else empty; a secret of the session, which
	 * {@link #toString()} leaves out
	 * @param reason the reason code of a {@code HELLO_REJECT} (section 4.3 of the protocol), else 0
	 * @param text the text of a {@code HELLO_REJECT}, else empty
	 */
	public record Answer(Outcome outcome, long session, byte[] token, int reason, String text) {

		/**
		 * Whether the server accepted the {@code HELLO}.
		 * @return {@code true} for a {@code HELLO_ACCEPT}
		 */
		public boolean accepted() {
			return this.outcome == Outcome.ACCEPTED;
		}

		/**
		 * The name of the reject reason, as section 4.3 of the protocol gives it.
		 * @return the name, {@code unknown (<code>)} for a code it does not list, empty if not rejected
		 */
		public String reasonName() {
			if (this.outcome != Outcome.REJECTED) {
				return "";
			}
			return (this.reason >= 1 && this.reason <= REJECT_REASONS.size()) ? REJECT_REASONS.get(this.reason - 1)
					: "unknown (" + this.reason + ")";
		}

		@Override
		public String toString() {
			return this.outcome + ((this.outcome == Outcome.REJECTED) ? " " + reasonName() + ": " + this.text : "")
					+ " (session " + this.session + ")";
		}

		/**
		 * What a server does with a {@code HELLO}.
		 */
		public enum Outcome {

			/** Answered {@code HELLO_ACCEPT}. */
			ACCEPTED,

			/** Answered {@code HELLO_REJECT}. */
			REJECTED,

			/** Closed the connection without an answer. */
			CLOSED,

			/** Neither answered nor closed within the patience. */
			SILENT

		}

	}

}

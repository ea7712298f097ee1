package dev.dualsocket.link;

import static dev.dualsocket.test.RawConnection.ERROR;
import static dev.dualsocket.test.RawConnection.HEARTBEAT;
import static dev.dualsocket.test.RawConnection.HEARTBEAT_ACK;
import static dev.dualsocket.test.RawConnection.HELLO;
import static dev.dualsocket.test.RawConnection.HELLO_ACCEPT;
import static dev.dualsocket.test.RawConnection.REQUEST;
import static dev.dualsocket.test.RawConnection.RESPONSE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.RawConnection.RawFrame;
import dev.dualsocket.test.RawConnection.RawHello;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A copy of a request sent after the receiver forgot its answer (the requester's low watermark passed its id, or the
 * answer was dropped to stay within {@code duplicate-cache-size} or {@code duplicate-cache-bytes}) is answered {@code DUPLICATE_EXPIRED} and never run
 * again (section 6.3 of {@code docs/PROTOCOL.md}), whether the Java server or the Java client receives it. The
 * requester is a peer written by hand from the document.
 */
class DuplicateFloorTests {

	private static final int DUPLICATE_EXPIRED = 5;

	/** Slow heartbeats, so the hand-written peer need not answer them for the length of a test. */
	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(30))
		.build();

	private final TestBed bed = new TestBed();

	private final CountingHandler handler = new CountingHandler();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void copyBelowTheWatermarkIsNotRunAgainByTheServer() throws Exception {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		server.setRequestHandler(this.handler);
		int port = server.getLocalAddress().getPort();
		try (RawConnection outbound = new RawConnection(port); RawConnection inbound = new RawConnection(port)) {
			openSession(outbound, inbound);
			assertThat(ask(outbound, 1, "a")).isEqualTo("answer:a");
			assertThat(ask(outbound, 2, "b")).isEqualTo("answer:b");
			// A copy while the answer is kept is answered again from the record.
			assertThat(ask(outbound, 2, "b")).isEqualTo("answer:b");

			sendWatermark(outbound, 3);
			assertDuplicateExpired(outbound, 1, "a");
			assertDuplicateExpired(outbound, 2, "b");
			assertThat(ask(outbound, 3, "c")).isEqualTo("answer:c");
		}
		assertThat(this.handler.runs()).containsOnlyKeys("a", "b", "c")
			.allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	@Test
	void copyOfARequestWhoseAnswerWasDroppedForRoomIsNotRunAgain() throws Exception {
		assertAnswersDroppedForRoomAreNeverRunAgain(SETTINGS.toBuilder().duplicateCacheSize(2).build());
	}

	@Test
	void copyOfARequestWhoseAnswerWasDroppedToStayWithinTheCacheBytesIsNotRunAgain() throws Exception {
		// Each answer is "answer:rN", 9 bytes: two fit in 20 bytes, though the count would keep 10,000.
		assertAnswersDroppedForRoomAreNeverRunAgain(SETTINGS.toBuilder().duplicateCacheBytes(20).build());
	}

	/** Five requests to a server that keeps the answers of two: the three oldest are never run again. */
	private void assertAnswersDroppedForRoomAreNeverRunAgain(LinkSettings settings) throws Exception {
		ServerEndpoint server = this.bed.server("server", settings);
		server.setRequestHandler(this.handler);
		int port = server.getLocalAddress().getPort();
		try (RawConnection outbound = new RawConnection(port); RawConnection inbound = new RawConnection(port)) {
			openSession(outbound, inbound);
			for (int id = 1; id <= 5; id++) {
				assertThat(ask(outbound, id, "r" + id)).isEqualTo("answer:r" + id);
			}
			// No watermark was sent: the record dropped the oldest answers to keep two, and still never runs them.
			assertDuplicateExpired(outbound, 1, "r1");
			assertDuplicateExpired(outbound, 3, "r3");
			assertThat(ask(outbound, 4, "r4")).isEqualTo("answer:r4");
			assertThat(ask(outbound, 5, "r5")).isEqualTo("answer:r5");
		}
		assertThat(this.handler.runs()).hasSize(5)
			.allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	@Test
	void copyBelowTheWatermarkIsNotRunAgainByTheClient() throws Exception {
		try (ServerSocket listener = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
			ClientEndpoint client = this.bed.client("client", "raw-server", listener.getLocalPort(), SETTINGS);
			client.setRequestHandler(this.handler);
			// A server written by hand: the client's outbound connection first, then, once accepted, its inbound one.
			try (RawConnection clientOutbound = new RawConnection(listener.accept())) {
				byte[] token = acceptOpening(clientOutbound);
				try (RawConnection clientInbound = new RawConnection(listener.accept())) {
					acceptJoin(clientInbound, token);
					await().atMost(Duration.ofSeconds(5))
						.until(() -> client.link("raw-server").getState() == LinkState.NORMAL);

					// The server's requests go to the client on the client's inbound connection.
					assertThat(ask(clientInbound, 1, "x")).isEqualTo("answer:x");
					assertThat(ask(clientInbound, 2, "y")).isEqualTo("answer:y");
					sendWatermark(clientInbound, 3);
					assertDuplicateExpired(clientInbound, 1, "x");
					assertThat(ask(clientInbound, 3, "z")).isEqualTo("answer:z");
				}
			}
		}
		assertThat(this.handler.runs()).containsOnlyKeys("x", "y", "z")
			.allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	private static void openSession(RawConnection outbound, RawConnection inbound) throws Exception {
		outbound.writeHello(1, 1, 0x5E55, "raw");
		byte[] token = outbound.readUntil(HELLO_ACCEPT).shortBytesAt(2);
		inbound.writeHello(1, 2, 0x5E55, "raw", token);
		inbound.readUntil(HELLO_ACCEPT);
	}

	/** Answers a Java client's opening HELLO as a server, with a fresh token. */
	private static byte[] acceptOpening(RawConnection outbound) throws Exception {
		RawHello opening = outbound.readUntil(HELLO).hello();
		assertThat(opening.channel()).isEqualTo(1);
		assertThat(opening.token()).isEmpty();
		byte[] token = new byte[16];
		new java.security.SecureRandom().nextBytes(token);
		outbound.writeHelloAccept(2, token);
		return token;
	}

	/** Answers the Java client's joining HELLO, which must present the token the opening connection was given. */
	private static void acceptJoin(RawConnection inbound, byte[] token) throws Exception {
		RawHello joining = inbound.readUntil(HELLO).hello();
		assertThat(joining.channel()).isEqualTo(2);
		assertThat(joining.token()).isEqualTo(token);
		inbound.writeHelloAccept(2, token);
	}

	private static String ask(RawConnection connection, long id, String payload) throws Exception {
		connection.writeFrame(REQUEST, id, payload.getBytes(UTF_8));
		RawFrame answer = connection.readUntil(RESPONSE);
		assertThat(answer.id()).isEqualTo(id);
		return answer.text();
	}

	/** Sends a heartbeat carrying the low watermark and waits for its answer, so the receiver has taken it in. */
	private static void sendWatermark(RawConnection connection, long watermark) throws Exception {
		connection.writeFrame(HEARTBEAT, 77, ByteBuffer.allocate(8).putLong(watermark).array());
		assertThat(connection.readUntil(HEARTBEAT_ACK).id()).isEqualTo(77);
	}

	private static void assertDuplicateExpired(RawConnection connection, long id, String payload) throws Exception {
		connection.writeFrame(REQUEST, id, payload.getBytes(UTF_8));
		RawFrame error = connection.readUntil(ERROR);
		assertThat(error.id()).isEqualTo(id);
		assertThat(error.unsignedShortAt(0)).isEqualTo(DUPLICATE_EXPIRED);
	}

}

package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.RawConnection.RawFrame;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Sections 4.1 to 4.4 of {@code docs/PROTOCOL.md}, from a peer written by hand: an empty token opens a session and
 * the server hands out a 128-bit token; only that token joins the session; a join into a session the server does not
 * hold is answered {@code SESSION_ENDED}, never taken for a new session.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionHandshakeTests {

	private static final int HELLO_ACCEPT = 0x02;

	private static final int HELLO_REJECT = 0x03;

	private static final int SESSION_ENDED = 3;

	private final TestBed bed = new TestBed();

	private ServerEndpoint server;

	private int port;

	@BeforeEach
	void startServer() {
		this.server = this.bed.server("server", TestBed.FAST.toBuilder()
			.heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(30))
			.build());
		this.server.setRequestHandler((request) -> ("answer:" + new String(request.payload(), UTF_8)).getBytes(UTF_8));
		this.port = this.server.getLocalAddress().getPort();
	}

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void openingConnectionGetsARandomTokenThatJoinsTheSecondConnection() throws Exception {
		try (RawConnection outbound = new RawConnection(this.port); RawConnection inbound = new RawConnection(this.port)) {
			outbound.writeHello(1, 1, 0x1122334455667788L, "raw");
			RawFrame accept = outbound.readUntil(HELLO_ACCEPT);
			byte[] token = accept.shortBytesAt(2);
			assertThat(token).hasSize(16);

			inbound.writeHello(1, 2, 0x1122334455667788L, "raw", token);
			assertThat(inbound.readUntil(HELLO_ACCEPT).shortBytesAt(2)).isEqualTo(token);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.server.findLink("raw").map((link) -> link.getState() == LinkState.NORMAL).orElse(false));

			outbound.writeFrame(0x10, 1, "a".getBytes(UTF_8));
			assertThat(outbound.readUntil(0x11).text()).isEqualTo("answer:a");
		}
	}

	@Test
	void eachNewSessionGetsItsOwnToken() throws Exception {
		byte[] first;
		byte[] second;
		try (RawConnection connection = new RawConnection(this.port)) {
			connection.writeHello(1, 1, 1, "raw");
			first = connection.readUntil(HELLO_ACCEPT).shortBytesAt(2);
		}
		awaitNoLiveConnection("raw");
		try (RawConnection connection = new RawConnection(this.port)) {
			connection.writeHello(1, 1, 2, "raw");
			second = connection.readUntil(HELLO_ACCEPT).shortBytesAt(2);
		}
		assertThat(first).hasSize(16);
		assertThat(second).hasSize(16).isNotEqualTo(first);
	}

	@Test
	void joinWithAnotherTokenIsAnsweredSessionEndedAndLeavesTheSessionAlone(CapturedOutput output) throws Exception {
		try (RawConnection outbound = new RawConnection(this.port); RawConnection stranger = new RawConnection(this.port)) {
			outbound.writeHello(1, 1, 42, "raw");
			byte[] token = outbound.readUntil(HELLO_ACCEPT).shortBytesAt(2);
			byte[] guessed = Arrays.copyOf(token, token.length);
			guessed[0] ^= 1;

			stranger.writeHello(1, 2, 42, "raw", guessed);
			RawFrame reject = stranger.readUntil(HELLO_REJECT);
			assertThat(reject.unsignedShortAt(0)).isEqualTo(SESSION_ENDED);
			assertThat(stranger.closedByPeer()).isTrue();

			// The session is still there for the real second connection.
			try (RawConnection inbound = new RawConnection(this.port)) {
				inbound.writeHello(1, 2, 42, "raw", token);
				assertThat(inbound.readUntil(HELLO_ACCEPT).shortBytesAt(2)).isEqualTo(token);
			}
		}
		assertThat(output).doesNotContain(hex(42));
	}

	@Test
	void joinIntoASessionTheServerDoesNotHoldIsAnsweredSessionEndedNotTakenForANewLink() throws Exception {
		byte[] someToken = new byte[16];
		Arrays.fill(someToken, (byte) 7);
		try (RawConnection connection = new RawConnection(this.port)) {
			connection.writeHello(1, 1, 99, "never-opened", someToken);
			assertThat(connection.readUntil(HELLO_REJECT).unsignedShortAt(0)).isEqualTo(SESSION_ENDED);
		}
		assertThat(this.server.findLink("never-opened")).isEmpty();
	}

	@Test
	void joinIntoASessionReplacedByANewerOneIsAnsweredSessionEnded() throws Exception {
		byte[] oldToken;
		try (RawConnection connection = new RawConnection(this.port)) {
			connection.writeHello(1, 1, 5, "raw");
			oldToken = connection.readUntil(HELLO_ACCEPT).shortBytesAt(2);
		}
		awaitNoLiveConnection("raw");
		try (RawConnection newer = new RawConnection(this.port); RawConnection late = new RawConnection(this.port)) {
			newer.writeHello(1, 1, 6, "raw");
			newer.readUntil(HELLO_ACCEPT);
			late.writeHello(1, 2, 5, "raw", oldToken);
			assertThat(late.readUntil(HELLO_REJECT).unsignedShortAt(0)).isEqualTo(SESSION_ENDED);
		}
	}

	@Test
	void clientRefusesAnAcceptWithoutTheSessionTokenAndKeepsTrying() throws Exception {
		try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress())) {
			dev.dualsocket.endpoint.ClientEndpoint client = this.bed.client("client", "tokenless",
					listener.getLocalPort(), TestBed.FAST);
			for (int attempt = 0; attempt < 2; attempt++) {
				try (RawConnection connection = new RawConnection(listener.accept())) {
					connection.readUntil(0x01);
					// A server written to the old text: HELLO_ACCEPT with an empty token.
					connection.writeFrame(HELLO_ACCEPT, 0, new byte[] { 0, 1, 0, 0 });
					assertThat(connection.closedByPeer()).isTrue();
				}
			}
			assertThat(client.link("tokenless").getState()).isEqualTo(LinkState.CONNECTING);
			assertThat(this.bed.events.ofType(dev.dualsocket.event.ReconnectAttemptEvent.class, "client"))
				.anySatisfy((attempt) -> assertThat(attempt.getError()).contains("HELLO_ACCEPT token must be 16 bytes"));
		}
	}

	private static String hex(long session) {
		return Long.toHexString(session);
	}

	/** Until the server has seen a link's connections close, a new session for it is refused LINK_IN_USE. */
	private void awaitNoLiveConnection(String linkId) {
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
			.until(() -> !((dev.dualsocket.link.Link) this.server.findLink(linkId).orElseThrow()).hasLiveConnection());
	}

}

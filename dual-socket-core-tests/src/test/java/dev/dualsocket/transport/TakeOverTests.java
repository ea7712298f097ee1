package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.RawConnection.RawFrame;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A live link is never taken over (sections 4.4 and 4.5 of the protocol): without authentication a new session for a
 * link with a live connection is refused {@code LINK_IN_USE}; with it, a connection that does not prove the secret
 * (none offered, a wrong one, a replayed proof, a known session and token without proof, a version-1 client) is
 * refused {@code AUTHENTICATION_FAILED}. Each time the legitimate link stays {@code NORMAL} with no socket failure and
 * no re-connect, and answers requests.
 */
@ExtendWith(OutputCaptureExtension.class)
class TakeOverTests {

	private static final String SECRET = "the orders link's secret";

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void newSessionForALiveLinkIsRefusedWithoutAuthentication() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler(IncomingRequest::payload);
		int port = server.getLocalAddress().getPort();
		DualSocketLink link = normalClient(this.bed.client("client", "orders", port, TestBed.FAST));

		for (int attempt = 0; attempt < 20; attempt++) {
			try (RawConnection stranger = new RawConnection(port)) {
				stranger.writeHelloV2(1, randomSession(), "orders", new byte[0], null);
				RawFrame answer = stranger.readFrame();
				assertThat(answer.type()).isEqualTo(RawConnection.HELLO_REJECT);
				assertThat(answer.unsignedShortAt(0)).isEqualTo(HelloReject.Reason.LINK_IN_USE.code());
				assertThat(stranger.closedByPeer()).isTrue();
			}
		}
		assertUntouched(link);
	}

	@Test
	void newSessionIsAcceptedOnceTheOldSessionsConnectionsAreGone() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		int port = server.getLocalAddress().getPort();
		long session = randomSession();
		RawConnection outbound = new RawConnection(port);
		outbound.writeHelloV2(1, session, "orders", new byte[0], null);
		byte[] token = outbound.readUntil(RawConnection.HELLO_ACCEPT).shortBytesAt(2);
		try (RawConnection restarted = new RawConnection(port)) {
			restarted.writeHelloV2(1, randomSession(), "orders", new byte[0], null);
			assertThat(restarted.readFrame().unsignedShortAt(0)).isEqualTo(HelloReject.Reason.LINK_IN_USE.code());
		}
		// The old client dies: its connection is reset, and the server detaches it.
		outbound.reset();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			try (RawConnection restarted = new RawConnection(port)) {
				restarted.writeHelloV2(1, randomSession(), "orders", new byte[0], null);
				assertThat(restarted.readFrame().type()).isEqualTo(RawConnection.HELLO_ACCEPT);
			}
		});
		assertThat(token).hasSize(16);
	}

	@Test
	void connectionsThatDoNotProveTheSecretAreRefusedAndTheLinkStays(CapturedOutput output) throws Exception {
		ServerEndpoint server = this.bed.server(EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET)));
		server.setRequestHandler(IncomingRequest::payload);
		int port = server.getLocalAddress().getPort();
		DualSocketLink link = normalClient(this.bed.client(EndpointSettings
			.client("client", "127.0.0.1", port, "orders", TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET))));
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "orders");
		long session = ((dev.dualsocket.link.Link) serverLink).sessionId();
		byte[] token = ((dev.dualsocket.link.Link) serverLink).sessionToken();

		// No authentication offered, in version 2 and in version 1.
		try (RawConnection stranger = new RawConnection(port)) {
			stranger.writeHelloV2(1, randomSession(), "orders", new byte[0], null);
			assertAuthenticationFailed(stranger.readFrame());
		}
		try (RawConnection stranger = new RawConnection(port)) {
			stranger.writeHello(1, 1, randomSession(), "orders");
			assertAuthenticationFailed(stranger.readFrame());
		}
		// A wrong secret, for a new session and to join the live one with its real id and token.
		assertAuthenticationFailed(authenticate(port, 1, randomSession(), new byte[0], "not the orders link's secret"));
		assertAuthenticationFailed(authenticate(port, 2, session, token, "not the orders link's secret"));
		// The known session and token, without proof: a join needs the secret too.
		try (RawConnection stranger = new RawConnection(port)) {
			stranger.writeHello(1, 2, session, "orders", token);
			assertAuthenticationFailed(stranger.readFrame());
		}
		// A captured HELLO and proof replayed on a new connection meet a new server nonce.
		byte[] clientNonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(clientNonce);
		byte[] capturedHello;
		byte[] capturedProof;
		try (RawConnection captured = new RawConnection(port)) {
			capturedHello = captured.writeHelloV2(2, session, "orders", token, clientNonce);
			byte[] serverNonce = java.util.Arrays.copyOf(captured.readUntil(RawConnection.HELLO_CHALLENGE).payload(), 16);
			capturedProof = RawConnection.hmacSha256(SECRET.getBytes(UTF_8),
					"dual-socket client proof".getBytes(UTF_8), serverNonce, clientNonce, capturedHello);
			// the capture stops here: the real client would have sent the proof
		}
		try (RawConnection replay = new RawConnection(port)) {
			replay.writeFrame(RawConnection.HELLO, 0, capturedHello);
			assertThat(replay.readFrame().type()).isEqualTo(RawConnection.HELLO_CHALLENGE);
			replay.writeFrame(RawConnection.HELLO_PROOF, 0, capturedProof);
			assertAuthenticationFailed(replay.readFrame());
		}
		assertUntouched(link);
		// Refusals are logged, but never with the session id, the token or the secret.
		assertThat(output).contains("authentication failed for link 'orders'")
			.doesNotContain(Long.toString(session))
			.doesNotContain(Long.toHexString(session))
			.doesNotContainIgnoringCase(java.util.HexFormat.of().formatHex(token))
			.doesNotContain(SECRET);
	}

	@Test
	void authenticatedNewSessionReplacesTheLiveOneAtOnce() throws Exception {
		ServerEndpoint server = this.bed.server(EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET)));
		int port = server.getLocalAddress().getPort();
		normalClient(this.bed.client(EndpointSettings.client("client", "127.0.0.1", port, "orders", TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET))));

		try (RawConnection restarted = new RawConnection(port)) {
			RawFrame answer = restarted.authenticate(1, randomSession(), "orders", new byte[0], SECRET.getBytes(UTF_8));
			assertThat(answer.type()).isEqualTo(RawConnection.HELLO_ACCEPT);
		}
		// The old session was given up at once: the old client is told SESSION_ENDED and goes DISCONNECTED.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.states("client").contains(LinkState.DISCONNECTED));
	}

	@Test
	void clientRefusesAServerThatDoesNotProveTheSecret() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client(EndpointSettings.client("client", "127.0.0.1", port, "orders",
				TestBed.FAST).withAuth(LinkAuthentication.secret(SECRET)));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class, "client").stream()
				.anyMatch((attempt) -> String.valueOf(attempt.getError()).contains("did not prove")));
		assertThat(client.link("orders").getState()).isNotEqualTo(LinkState.NORMAL);
	}

	@Test
	void clientWithAWrongSecretNeverComesUp() {
		ServerEndpoint server = this.bed.server(EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET)));
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client(EndpointSettings.client("client", "127.0.0.1", port, "orders",
				TestBed.FAST).withAuth(LinkAuthentication.secret("the wrong secret, long enough")));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class, "client").stream()
				.anyMatch((attempt) -> String.valueOf(attempt.getError()).contains("AUTHENTICATION_FAILED")));
		assertThat(client.link("orders").getState()).isNotEqualTo(LinkState.NORMAL);
		assertThat(server.links()).isEmpty();
	}

	private DualSocketLink normalClient(ClientEndpoint client) {
		DualSocketLink link = client.link("orders");
		TestBed.awaitNormal(link);
		return link;
	}

	private void assertUntouched(DualSocketLink link) throws Exception {
		assertThat(link.request("still here".getBytes(UTF_8)).get()).isEqualTo("still here".getBytes(UTF_8));
		assertThat(link.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.bed.events.states("client")).containsExactly(LinkState.NORMAL);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class)).isEmpty();
		// The one attempt is the establishment that brought the link up.
		assertThat(this.bed.events.ofType(ReconnectAttemptEvent.class)).singleElement()
			.satisfies((attempt) -> assertThat(attempt.getSocket()).isNull());
	}

	private static RawFrame authenticate(int port, int channel, long session, byte[] token, String secret)
			throws Exception {
		try (RawConnection connection = new RawConnection(port)) {
			return connection.authenticate(channel, session, "orders", token, secret.getBytes(UTF_8));
		}
	}

	private static void assertAuthenticationFailed(RawFrame answer) {
		assertThat(answer.type()).isEqualTo(RawConnection.HELLO_REJECT);
		assertThat(answer.unsignedShortAt(0)).isEqualTo(HelloReject.Reason.AUTHENTICATION_FAILED.code());
	}

	private static long randomSession() {
		return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
	}

}

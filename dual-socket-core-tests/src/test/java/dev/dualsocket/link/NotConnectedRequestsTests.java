package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.LinkSettings.WhileDisconnected;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's request on a link that is not connected: by default it fails at once, saying why and that nothing was
 * sent, when the link is {@code DISCONNECTED} or has never been established and an attempt failed; with
 * {@code request-while-disconnected=wait} it waits for the link. A link connecting again after it was up holds its
 * requests either way. The request timeout is 10 s throughout, so "at once" cannot be the timeout.
 */
class NotConnectedRequestsTests {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	/** Far below the request timeout: what "at once" must beat. */
	private static final Duration AT_ONCE = Duration.ofSeconds(2);

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void requestOnAClientWhosePeerRefusesFailsAtOnceWithTheConnectError() {
		ClientEndpoint client = this.bed.client("exchange", "orders-1", Sockets.freePort(), settings(WhileDisconnected.FAIL));
		DualSocketLink link = client.link("orders-1");
		awaitFailedAttempts(link, 1);

		CompletableFuture<byte[]> response = requestFailingAtOnce(link);

		assertThatThrownBy(response::join).cause()
			.isInstanceOf(LinkDisconnectedException.class)
			.hasMessageStartingWith("Link 'orders-1' of endpoint 'exchange' is not connected: not sent: "
					+ "the last attempt to connect failed: ")
			.hasMessageContaining("Connection refused")
			.hasMessageMatching(".*\\(attempt \\d+, next in \\d+(\\.\\d)? m?s\\)$");
		assertThat(link.snapshot().requestsInFlight()).isZero();
		assertThat(link.getState()).isEqualTo(LinkState.CONNECTING);
	}

	@Test
	void requestMadeAsTheClientStartsFailsOnceItsFirstAttemptFailsNotAfterTheTimeout() {
		ClientEndpoint client = this.bed.client("exchange", "orders-1", Sockets.freePort(), settings(WhileDisconnected.FAIL));

		// Made at once: it waits for the first attempt, or finds it failed already; either way it fails at once then.
		CompletableFuture<byte[]> response = client.request("quote".getBytes(UTF_8));

		await().atMost(AT_ONCE).until(response::isDone);
		assertThatThrownBy(response::join).cause()
			.isInstanceOf(LinkDisconnectedException.class)
			.hasMessageStartingWith("Link 'orders-1' of endpoint 'exchange' is not connected: not sent: ")
			.hasMessageContaining("Connection refused");
	}

	@Test
	void requestMadeAsTheClientStartsIsAnsweredWhenThePeerIsThere() throws Exception {
		ServerEndpoint server = this.bed.server("hub", settings(WhileDisconnected.FAIL));
		server.setRequestHandler((request) -> request.payload());
		ClientEndpoint client = this.bed.client("exchange", "orders-1", server.getLocalAddress().getPort(),
				settings(WhileDisconnected.FAIL));

		CompletableFuture<byte[]> response = client.request("quote".getBytes(UTF_8));

		assertThat(response.get(5, TimeUnit.SECONDS)).isEqualTo("quote".getBytes(UTF_8));
	}

	@Test
	void withWaitARequestOnAClientWhosePeerRefusesWaitsAndGoesOutOnceThePeerIsThere() throws Exception {
		int port = Sockets.freePort();
		ClientEndpoint client = this.bed.client("exchange", "orders-1", port, settings(WhileDisconnected.WAIT));
		DualSocketLink link = client.link("orders-1");
		awaitFailedAttempts(link, 1);

		CompletableFuture<byte[]> response = link.request("quote".getBytes(UTF_8));
		// Still waiting after a further failed attempt: a failed attempt does not fail it.
		int seen = link.snapshot().connectAttempts().attempts();
		awaitFailedAttempts(link, seen + 1);
		assertThat(response).isNotDone();
		assertThat(link.snapshot().requestsInFlight()).isOne();

		ServerEndpoint server = this.bed.server("hub", "127.0.0.1", port, settings(WhileDisconnected.WAIT));
		server.setRequestHandler((request) -> ("re:" + new String(request.payload(), UTF_8)).getBytes(UTF_8));

		assertThat(response.get(5, TimeUnit.SECONDS)).isEqualTo("re:quote".getBytes(UTF_8));
	}

	@Test
	void requestOnADisconnectedLinkFailsAtOnceSayingHowToWaitInstead() throws Exception {
		ServerEndpoint server = this.bed.server("hub", settings(WhileDisconnected.FAIL));
		LinkSettings slowReestablishment = settings(WhileDisconnected.FAIL).toBuilder()
			.afterDisconnect(true, Duration.ofSeconds(30), LinkSettings.AfterDisconnect.UNLIMITED)
			.build();
		ClientEndpoint client = this.bed.client("exchange", "orders-1", server.getLocalAddress().getPort(),
				slowReestablishment);
		DualSocketLink link = client.link("orders-1");
		TestBed.awaitNormal(link);
		// The peer closes the link in order: the client waits its 30 s interval before establishing it again.
		server.stop(Duration.ZERO);
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.DISCONNECTED);

		CompletableFuture<byte[]> response = requestFailingAtOnce(link);

		assertThatThrownBy(response::join).cause()
			.isInstanceOf(LinkDisconnectedException.class)
			.hasMessageStartingWith("Link 'orders-1' of endpoint 'exchange' is not connected: not sent: "
					+ "it is DISCONNECTED (")
			.hasMessageEndingWith("; set request-while-disconnected to 'wait' to hold requests until it is "
					+ "established again");
	}

	@Test
	void withWaitARequestOnADisconnectedLinkWaitsAndGoesOutOnceItIsEstablishedAgain() throws Exception {
		ServerEndpoint server = this.bed.server("hub", settings(WhileDisconnected.WAIT));
		int port = server.getLocalAddress().getPort();
		LinkSettings slowReestablishment = settings(WhileDisconnected.WAIT).toBuilder()
			.afterDisconnect(true, Duration.ofSeconds(30), LinkSettings.AfterDisconnect.UNLIMITED)
			.build();
		ClientEndpoint client = this.bed.client("exchange", "orders-1", port, slowReestablishment);
		DualSocketLink link = client.link("orders-1");
		TestBed.awaitNormal(link);
		server.stop(Duration.ZERO);
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.DISCONNECTED);

		CompletableFuture<byte[]> response = link.request("quote".getBytes(UTF_8));

		assertThat(response).isNotDone();
		assertThat(link.getState()).isEqualTo(LinkState.DISCONNECTED);
		ServerEndpoint restarted = this.bed.server("hub", "127.0.0.1", port, settings(WhileDisconnected.WAIT));
		restarted.setRequestHandler((request) -> ("re:" + new String(request.payload(), UTF_8)).getBytes(UTF_8));
		link.reconnect();
		assertThat(response.get(5, TimeUnit.SECONDS)).isEqualTo("re:quote".getBytes(UTF_8));
	}

	@Test
	void aLinkThatGaveUpFailsRequestsAtOnceEvenWithWait() {
		LinkSettings twoAttempts = settings(WhileDisconnected.WAIT).toBuilder()
			.afterDisconnect(true, Duration.ofMillis(50), 2)
			.build();
		ClientEndpoint client = this.bed.client("exchange", "orders-1", Sockets.freePort(), twoAttempts);
		DualSocketLink link = client.link("orders-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.DISCONNECTED);

		CompletableFuture<byte[]> response = requestFailingAtOnce(link);

		assertThatThrownBy(response::join).cause()
			.isInstanceOf(LinkDisconnectedException.class)
			.hasMessageStartingWith("Link 'orders-1' of endpoint 'exchange' is not connected: not sent: it is "
					+ "DISCONNECTED (gave up establishing the link after 2 attempts); the last attempt to connect "
					+ "failed: ")
			.hasMessageContaining("Connection refused")
			.hasMessageContaining("(attempt 2, no further attempt is waiting)")
			.hasMessageEndingWith("; it stays disconnected until a reconnect is requested");
		ConnectAttempts attempts = link.snapshot().connectAttempts();
		assertThat(attempts.attempts()).isEqualTo(2);
		assertThat(attempts.nextAttemptAt()).isNull();
	}

	@Test
	void aLinkConnectingAgainAfterItWasUpHoldsRequestsThroughFailedAttempts() throws Exception {
		ServerEndpoint server = this.bed.server("hub", settings(WhileDisconnected.FAIL));
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client("exchange", "orders-1", port, settings(WhileDisconnected.FAIL));
		DualSocketLink link = client.link("orders-1");
		TestBed.awaitNormal(link);
		server.stop(Duration.ZERO);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> link.getState() == LinkState.CONNECTING && link.snapshot().connectAttempts().lastError() != null);

		CompletableFuture<byte[]> response = link.request("quote".getBytes(UTF_8));
		int seen = link.snapshot().connectAttempts().attempts();
		awaitFailedAttempts(link, seen + 1);

		assertThat(response).isNotDone();
		ServerEndpoint restarted = this.bed.server("hub", "127.0.0.1", port, settings(WhileDisconnected.FAIL));
		restarted.setRequestHandler((request) -> ("re:" + new String(request.payload(), UTF_8)).getBytes(UTF_8));
		assertThat(response.get(5, TimeUnit.SECONDS)).isEqualTo("re:quote".getBytes(UTF_8));
	}

	@Test
	void theSnapshotOfANeverConnectedClientCarriesItsAttemptsTheLastErrorAndTheNextAttempt() {
		ClientEndpoint client = this.bed.client("exchange", "orders-1", Sockets.freePort(), settings(WhileDisconnected.FAIL));
		DualSocketLink link = client.link("orders-1");
		Instant started = Instant.now();
		awaitFailedAttempts(link, 2);

		ConnectAttempts attempts = link.snapshot().connectAttempts();

		assertThat(attempts.attempts()).isGreaterThanOrEqualTo(2);
		assertThat(attempts.lastError()).contains("Connection refused");
		assertThat(attempts.lastErrorAt()).isAfterOrEqualTo(started);
		await().atMost(Duration.ofSeconds(5)).until(() -> link.snapshot().connectAttempts().nextAttemptAt() != null);
		assertThat(link.snapshot().connectAttempts().nextAttemptAt()).isAfter(started);
	}

	@Test
	void aServersLinkHasNoConnectAttempts() {
		ServerEndpoint server = this.bed.server("hub", settings(WhileDisconnected.FAIL));
		ClientEndpoint client = this.bed.client("exchange", "orders-1", server.getLocalAddress().getPort(),
				settings(WhileDisconnected.FAIL));
		TestBed.awaitNormal(client.link("orders-1"));

		assertThat(TestBed.awaitServerLink(server, "orders-1").snapshot().connectAttempts()).isNull();
		assertThat(client.link("orders-1").snapshot().connectAttempts().attempts()).isOne();
		assertThat(client.link("orders-1").snapshot().connectAttempts().lastError()).isNull();
	}

	private static LinkSettings settings(WhileDisconnected whileDisconnected) {
		return TestBed.FAST.toBuilder()
			.requestTimeout(REQUEST_TIMEOUT)
			.requestWhileDisconnected(whileDisconnected)
			.build();
	}

	/** Makes a request and checks that it failed before {@code request()} even returned, far within the timeout. */
	private static CompletableFuture<byte[]> requestFailingAtOnce(DualSocketLink link) {
		long start = System.nanoTime();
		CompletableFuture<byte[]> response = link.request("quote".getBytes(UTF_8));
		assertThat(response).isCompletedExceptionally();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
		return response;
	}

	/** Waits until the link's current series has had at least so many attempts, the last of them failed. */
	private static void awaitFailedAttempts(DualSocketLink link, int attempts) {
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			ConnectAttempts now = link.snapshot().connectAttempts();
			return now != null && now.attempts() >= attempts && now.lastError() != null;
		});
	}

}

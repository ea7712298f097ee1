package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CLOSED;
import static dev.dualsocket.LinkState.CONNECTING;
import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that shuts down tells its peer, lets requests in flight finish, and the peer takes that as an orderly
 * close, not a failure.
 */
class OrderlyCloseTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void peerShutDownCleanlyGivesDisconnectedPeerClosedAndTheClientReestablishesOnceThePeerIsBack() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client("client", "link-1", port, TestBed.FAST);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		this.bed.events.clear();

		server.stop(Duration.ofSeconds(1));

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.bed.events.stateChanges("client").isEmpty());
		LinkStateChangedEvent disconnected = this.bed.events.stateChanges("client").get(0);
		assertThat(disconnected.getFrom()).isEqualTo(NORMAL);
		assertThat(disconnected.getTo()).isEqualTo(DISCONNECTED);
		assertThat(disconnected.getCause()).isEqualTo("peer closed");
		// Trying while the peer is away: whole-link attempts at the after-disconnect interval, no socket recovery.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class, "client").size() >= 2);

		ServerEndpoint again = this.bed.server("server", "127.0.0.1", port, TestBed.FAST);
		TestBed.awaitServerLink(again, "link-1");
		TestBed.awaitNormal(link);

		assertThat(this.bed.events.states("client")).doesNotContain(RECOVERING)
			.startsWith(DISCONNECTED, CONNECTING)
			.endsWith(NORMAL);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client")).isEmpty();
		assertThat(this.bed.events.ofType(ReconnectAttemptEvent.class, "client"))
			.allSatisfy((attempt) -> assertThat(attempt.getProcedure()).isEqualTo(RecoveryProcedure.LINK_ESTABLISHMENT));
		assertThat(link.request("back".getBytes(UTF_8))).isNotNull();
	}

	@Test
	void stoppingLetsRequestsInFlightFinishAndTheServerForgetsTheLinkOfAClientThatLeft() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		CountDownLatch entered = new CountDownLatch(1);
		server.setRequestHandler((request) -> {
			entered.countDown();
			Thread.sleep(300); // a slow handler: the work the client's shutdown must wait for
			return request.payload();
		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		TestBed.awaitServerLink(server, "link-1");
		CompletableFuture<byte[]> inFlight = link.request("last words".getBytes(UTF_8));
		assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

		client.stop(Duration.ofSeconds(5));

		assertThat(inFlight).isCompletedWithValueMatching((bytes) -> new String(bytes, UTF_8).equals("last words"));
		assertThat(link.getState()).isEqualTo(CLOSED);
		assertThat(link.request(new byte[0])).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(LinkDisconnectedException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.findLink("link-1").isEmpty());
		assertThat(this.bed.events.states("server", "link-1")).containsExactly(NORMAL, DISCONNECTED, CLOSED);
		assertThat(this.bed.events.stateChanges("server").get(1).getCause()).isEqualTo("peer closed");
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "server")).isEmpty();
	}

}

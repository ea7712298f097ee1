package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkQuiescedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.RequestObserver.Direction;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.Outcomes;
import dev.dualsocket.test.TestBed;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quiesce and resume (seed 002, section 6.5 of the protocol) over real sockets: the link stays up with its
 * heartbeats both ways, the peer shows {@code QUIESCED} rather than a failure, the peer's requests wait in a bounded
 * queue and beyond it are answered {@code BUSY} and sent again by the peer's library, and resuming serves the waiting
 * requests in the order they arrived.
 */
class QuiesceTests {

	private static final int MAX_QUEUED = 20;

	/**
	 * FAST's timings with a heartbeat timeout of 1.5 s rather than 0.6 s: what is asserted is that a quiesced link
	 * misses no heartbeat, and a machine loaded by parallel builds can stall a JVM longer than 0.6 s.
	 */
	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.heartbeat(Duration.ofMillis(200), Duration.ofMillis(1500))
		.quiesce(MAX_QUEUED, 8L * 1024 * 1024, LinkSettings.OwnRequests.WAIT)
		.build();

	private TestBed bed = new TestBed();

	private final AtomicBoolean loading = new AtomicBoolean(true);

	@AfterEach
	void close() {
		this.loading.set(false);
		this.bed.close();
	}

	@Test
	void quiesceUnderLoadBothWaysLosesNothingRunsNothingTwiceAndKeepsTheHeartbeats() throws Exception {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		CountingHandler serverHandler = new CountingHandler();
		server.setRequestHandler(serverHandler);
		AtomicInteger busyAnswers = new AtomicInteger();
		server.setRequestObserver((endpoint, direction, outcome, nanos) -> {
			if (direction == Direction.INBOUND && outcome == Outcome.REJECTED) {
				busyAnswers.incrementAndGet();
			}
		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), SETTINGS);
		CountingHandler clientHandler = new CountingHandler();
		client.setRequestHandler(clientHandler);
		DualSocketLink clientLink = client.link("link-1");
		TestBed.awaitNormal(clientLink);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "link-1");
		Outcomes toServer = new Outcomes();
		Outcomes toClient = new Outcomes();
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (int caller = 0; caller < 2; caller++) {
			int number = caller;
			callers.add(CompletableFuture.runAsync(() -> call(clientLink, "c" + number, toServer)));
		}
		callers.add(CompletableFuture.runAsync(() -> call(serverLink, "s", toClient)));
		await().atMost(Duration.ofSeconds(10)).until(() -> toServer.size() > 200 && toClient.size() > 100);

		server.quiesce();

		await().atMost(Duration.ofSeconds(5))
			.until(() -> serverLink.getState() == LinkState.QUIESCED && clientLink.getState() == LinkState.QUIESCED);
		assertThat(clientLink.snapshot().peerQuiesced()).isTrue();
		assertThat(serverLink.isQuiesced()).isTrue();
		// The client's callers go on: beyond the queue they are answered BUSY, and the client sends them again.
		// The server's own requests wait. For three heartbeat timeouts, nothing fails and the queue stays bounded.
		int settledToServer = toServer.size();
		int settledToClient = toClient.size();
		await().atMost(Duration.ofSeconds(5)).until(() -> busyAnswers.get() > 20);
		await().during(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(5)).until(() -> {
			LinkSnapshot snapshot = serverLink.snapshot();
			return snapshot.state() == LinkState.QUIESCED && clientLink.getState() == LinkState.QUIESCED
					&& snapshot.heldRequests() <= MAX_QUEUED
					&& this.bed.events.ofType(SocketFailedEvent.class).isEmpty();
		});
		assertThat(serverLink.snapshot().heldRequests()).isEqualTo(MAX_QUEUED);
		// What was in flight when it quiesced finished; nothing new ran or was answered meanwhile.
		assertThat(toServer.size()).isLessThanOrEqualTo(settledToServer + 32);
		assertThat(toClient.size()).isLessThanOrEqualTo(settledToClient + 16);

		server.resume();

		await().atMost(Duration.ofSeconds(5))
			.until(() -> serverLink.getState() == LinkState.NORMAL && clientLink.getState() == LinkState.NORMAL);
		int resumedToServer = toServer.size();
		await().atMost(Duration.ofSeconds(10)).until(() -> toServer.size() > resumedToServer + 200);
		this.loading.set(false);
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get();

		// Nothing lost: every request of either side was answered, its own answer; nothing ran twice.
		assertThat(toServer.all()).allMatch(String.class::isInstance);
		assertThat(toClient.all()).allMatch(String.class::isInstance);
		toServer.assertNoWrongAnswer();
		toClient.assertNoWrongAnswer();
		assertThat(serverHandler.runs()).hasSize(toServer.size())
			.allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
		assertThat(clientHandler.runs()).hasSize(toClient.size())
			.allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
		// No heartbeat missed, no socket re-connected, and the peer never saw a failure.
		assertThat(this.bed.events.ofType(SocketFailedEvent.class)).isEmpty();
		assertThat(clientLink.snapshot().outbound().connects()).isOne();
		assertThat(clientLink.snapshot().inbound().connects()).isOne();
		assertThat(this.bed.events.states("client")).containsExactly(LinkState.NORMAL, LinkState.QUIESCED,
				LinkState.NORMAL);
		assertThat(this.bed.events.states("server")).containsExactly(LinkState.NORMAL, LinkState.QUIESCED,
				LinkState.NORMAL);
	}

	@Test
	void resumeServesTheHeldRequestsInTheOrderTheyArrived() throws Exception {
		this.bed.close();
		TransportSettings defaults = TransportSettings.defaults();
		this.bed = new TestBed(new TransportSettings(defaults.ioThreads(), 1, defaults.handlerQueueCapacity(),
				defaults.recoveryThreads(), defaults.nativeTransport(), defaults.interfacePollInterval()));
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		List<String> ran = new CopyOnWriteArrayList<>();
		server.setRequestHandler((request) -> {
			ran.add(new String(request.payload(), UTF_8));
			return request.payload();
		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), SETTINGS);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		server.quiesce();
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.QUIESCED);
		List<String> sent = new ArrayList<>();
		List<CompletableFuture<byte[]>> answers = new ArrayList<>();
		for (int i = 0; i < MAX_QUEUED; i++) {
			sent.add("r" + i);
			answers.add(link.request(("r" + i).getBytes(UTF_8)));
		}
		DualSocketLink serverLink = server.link("link-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> serverLink.snapshot().heldRequests() == MAX_QUEUED);
		assertThat(ran).isEmpty();

		server.resume();

		CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();
		assertThat(ran).containsExactlyElementsOf(sent);
	}

	@Test
	void ownRequestsWaitForResumeOrFailAtOnceAsConfigured() throws Exception {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		server.setRequestHandler(IncomingRequest::payload);
		ClientEndpoint waiting = this.bed.client("waiting", "link-1", server.getLocalAddress().getPort(), SETTINGS);
		ClientEndpoint failing = this.bed.client("failing", "link-2", server.getLocalAddress().getPort(),
				SETTINGS.toBuilder().quiesce(MAX_QUEUED, 1024, LinkSettings.OwnRequests.FAIL).build());
		TestBed.awaitNormal(waiting.link("link-1"));
		TestBed.awaitNormal(failing.link("link-2"));
		waiting.quiesce();
		failing.quiesce();
		assertThat(waiting.isQuiesced()).isTrue();

		CompletableFuture<byte[]> held = waiting.request("held".getBytes(UTF_8));
		assertThat(failing.request("refused".getBytes(UTF_8))).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(LinkQuiescedException.class)
			.withMessageContaining("quiesce.own-requests");
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !held.isDone());

		waiting.resume();

		assertThat(new String(held.get(), UTF_8)).isEqualTo("held");
		assertThat(waiting.link("link-1").getState()).isEqualTo(LinkState.NORMAL);
		assertThat(failing.link("link-2").getState()).isEqualTo(LinkState.QUIESCED);
	}

	@Test
	void aSocketThatFailsWhileQuiescedRecoversAndTheLinkStaysQuiesced() {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), SETTINGS);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "link-1");
		server.quiesce();
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.QUIESCED);

		link.dropSocket(SocketRole.INBOUND);

		await().atMost(Duration.ofSeconds(5)).until(() -> link.snapshot().inbound().connects() == 2
				&& link.getState() == LinkState.QUIESCED && serverLink.getState() == LinkState.QUIESCED);
		assertThat(this.bed.events.states("client")).containsExactly(LinkState.NORMAL, LinkState.QUIESCED,
				LinkState.RECOVERING, LinkState.QUIESCED);
		// The server may see the new connection replace the old one before it sees the old one fail: RECOVERING or not,
		// it never leaves the link, and ends QUIESCED.
		assertThat(this.bed.events.states("server")).startsWith(LinkState.NORMAL, LinkState.QUIESCED)
			.endsWith(LinkState.QUIESCED)
			.doesNotContain(LinkState.DISCONNECTED);
		server.resume();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> link.getState() == LinkState.NORMAL && serverLink.getState() == LinkState.NORMAL);
	}

	@Test
	void aLinkMadeWhileTheEndpointIsQuiescedStartsQuiesced() {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		server.quiesce();
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), SETTINGS);
		DualSocketLink link = client.link("link-1");

		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.QUIESCED
				&& server.findLink("link-1").map((l) -> l.getState() == LinkState.QUIESCED).orElse(false));
		assertThat(server.link("link-1").isQuiesced()).isTrue();
		assertThat(link.isQuiesced()).isFalse();
		assertThat(link.snapshot().peerQuiesced()).isTrue();
	}

	@Test
	void stoppingAQuiescedEndpointAnswersTheHeldRequestsShuttingDownWithoutRunningThem() {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		CountingHandler handler = new CountingHandler();
		server.setRequestHandler(handler);
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), SETTINGS);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		server.quiesce();
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.QUIESCED);
		CompletableFuture<byte[]> held = link.request("held".getBytes(UTF_8));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.link("link-1").snapshot().heldRequests() == 1);

		server.stop(Duration.ofSeconds(1));

		assertThat(held).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(RemoteRequestException.class,
					(failure) -> assertThat(failure.getReason()).isEqualTo(RemoteRequestException.Reason.SHUTTING_DOWN));
		assertThat(handler.runs()).isEmpty();
	}

	/** One caller: up to 16 requests in flight, each with a payload of its own, until the load stops. */
	private void call(DualSocketLink link, String caller, Outcomes outcomes) {
		Semaphore inFlight = new Semaphore(16);
		for (int i = 0; this.loading.get(); i++) {
			String payload = caller + "-" + i;
			inFlight.acquireUninterruptibly();
			link.request(payload.getBytes(UTF_8)).whenComplete((bytes, failure) -> {
				if (failure == null) {
					outcomes.answered(payload, new String(bytes, UTF_8));
				}
				else {
					outcomes.failed(payload, failure);
				}
				inFlight.release();
			});
		}
		inFlight.acquireUninterruptibly(16);
	}

}

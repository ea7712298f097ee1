package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.EndpointSettings.Address;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.AddressChangedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.Outcomes;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 both ways under load: the primary's host vanishes and the client serves its requests from the standby
 * within the heartbeat timeout plus a second; the primary comes back, answers the client's probes for
 * {@code failback.stable-for}, and the client moves back once its link is idle. No request is run twice, none gets
 * another's answer, and each move is an {@link AddressChangedEvent}.
 */
class FailbackTests {

	private static final LinkSettings SETTINGS = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofMillis(600))
		.build();

	private static final EndpointSettings.Failback FAILBACK = new EndpointSettings.Failback(true,
			Duration.ofMillis(500), Duration.ofMillis(100));

	private final TestBed bed = new TestBed();

	/** Per payload: how often a handler ran it, on either server. */
	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final Outcomes outcomes = new Outcomes();

	private final AtomicBoolean loading = new AtomicBoolean(true);

	@AfterEach
	void close() {
		this.loading.set(false);
		this.bed.close();
	}

	@Test
	void failsOverToTheStandbyAndBackToThePrimaryWithNothingRunTwice() throws Exception {
		ServerEndpoint primary = server("primary");
		ServerEndpoint standby = server("standby");
		try (FaultProxy toPrimary = new FaultProxy(primary.getLocalAddress().getPort())) {
			ClientEndpoint client = client(toPrimary, standby);
			DualSocketLink link = client.link("link-1");
			TestBed.awaitNormal(link);
			CompletableFuture<Void> load = CompletableFuture.runAsync(() -> call(link));
			awaitAnswersFrom("primary");

			// The primary's host vanishes: its connections go silent and nothing new gets through.
			toPrimary.refuseNewConnections(true);
			long lost = System.nanoTime();
			toPrimary.connections().forEach(FaultProxy.Connection::blackHole);
			awaitAnswersFrom("standby");
			Duration failover = Duration.ofNanos(System.nanoTime() - lost);
			assertThat(failover).as("from the loss of the primary to the first answer of the standby")
				.isLessThanOrEqualTo(SETTINGS.heartbeatTimeout().plusSeconds(1));
			assertThat(client.isOnPrimary()).isFalse();

			// The primary comes back: the client moves back once it has answered for failback.stable-for.
			toPrimary.refuseNewConnections(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.isOnPrimary() && link.getState() == LinkState.NORMAL
					&& primary.findLink("link-1").map((l) -> l.getState() == LinkState.NORMAL).orElse(false));
			awaitAnswersFrom("primary");
			this.loading.set(false);
			load.get(10, TimeUnit.SECONDS);

			assertThat(this.runs).allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
			this.outcomes.assertNoWrongAnswer();
			this.bed.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
			assertThat(this.bed.events.ofType(AddressChangedEvent.class, "client"))
				.extracting(AddressChangedEvent::isPrimary)
				.containsExactly(false, true);
		}
	}

	@Test
	void aQuiescedLinkFailsBackToThePrimaryAndIsStillQuiescedThere() throws Exception {
		ServerEndpoint primary = server("primary");
		ServerEndpoint standby = server("standby");
		try (FaultProxy toPrimary = new FaultProxy(primary.getLocalAddress().getPort())) {
			ClientEndpoint client = client(toPrimary, standby);
			DualSocketLink link = client.link("link-1");
			TestBed.awaitNormal(link);
			toPrimary.refuseNewConnections(true);
			toPrimary.connections().forEach(FaultProxy.Connection::blackHole);
			await().atMost(Duration.ofSeconds(10)).until(() -> !client.isOnPrimary() && link.getState() == LinkState.NORMAL);

			// Quiesced on the standby (a deploy, say): nothing runs, so the move cannot lose or repeat anything.
			client.quiesce();
			await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.QUIESCED);
			toPrimary.refuseNewConnections(false);

			await().atMost(Duration.ofSeconds(10)).until(() -> client.isOnPrimary() && link.getState() == LinkState.QUIESCED
					&& primary.findLink("link-1").map((l) -> l.getState() == LinkState.QUIESCED).orElse(false));
			client.resume();
			TestBed.awaitNormal(link);
			assertThat(new String(link.request("back".getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8))
				.isEqualTo("primary:back");
		}
	}

	/** A client of the primary, through the proxy, with the standby's address and failback. */
	private ClientEndpoint client(FaultProxy toPrimary, ServerEndpoint standby) {
		ClientEndpoint client = new ClientEndpoint(
				EndpointSettings.client("client", "127.0.0.1", toPrimary.port(), "link-1", SETTINGS)
					.withStandby(List.of(new Address("127.0.0.1", standby.getLocalAddress().getPort())))
					.withFailback(FAILBACK),
				this.bed.transport, this.bed.events);
		client.start();
		this.bed.adopt(client);
		return client;
	}

	private ServerEndpoint server(String name) {
		ServerEndpoint server = this.bed.server(name, SETTINGS);
		server.setRequestHandler((request) -> {
			String payload = new String(request.payload(), UTF_8);
			this.runs.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
			return (name + ":" + payload).getBytes(UTF_8);
		});
		return server;
	}

	/** Waits until a request made from now on is answered by the named server. */
	private void awaitAnswersFrom(String server) {
		int before = this.outcomes.size();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
			.until(() -> this.outcomes.size() > before && this.outcomes.all().stream()
				.anyMatch((outcome) -> outcome instanceof String answer && answer.startsWith(server + ":")
						&& Integer.parseInt(answer.substring(answer.lastIndexOf('-') + 1)) >= before));
	}

	/** One caller, one request at a time, each with a payload of its own, until the load stops. */
	private void call(DualSocketLink link) {
		for (int i = 0; this.loading.get(); i++) {
			String payload = "request-" + i;
			try {
				this.outcomes.answered(payload,
						new String(link.request(payload.getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8));
			}
			catch (Exception ex) {
				this.outcomes.failed(payload, ex);
			}
		}
	}

}

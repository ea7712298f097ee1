package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.dualsocket.DualSocketException;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.ProxiedLink;
import dev.dualsocket.test.TestBed;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos on one link: eight callers each way, a hundred single-socket kills at random (either socket, from either
 * side), and listeners that throw at random. Every request is answered exactly once with its own answer, or fails
 * with one of the library's exceptions; none is lost, none runs twice, and the link ends {@code NORMAL}.
 */
class ChaosTests {

	private static final int CALLERS_EACH_WAY = 8;

	private static final int KILLS = 100;

	private final ExecutorService callers = Executors.newFixedThreadPool(2 * CALLERS_EACH_WAY);

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger listenerThrows = new AtomicInteger();

	private final TestBed bed = new TestBed(TransportSettings.defaults(), (event) -> {
		if (ThreadLocalRandom.current().nextInt(3) == 0) {
			this.listenerThrows.incrementAndGet();
			throw new IllegalStateException("a listener that fails now and then");
		}
	});

	@AfterEach
	void close() {
		this.running.set(false);
		this.callers.shutdownNow();
		this.bed.close();
	}

	@Test
	void everyRequestIsAnsweredOnceOrFailsClearlyThroughAHundredKillsAndThrowingListeners() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, TestBed.FAST, TestBed.FAST)) {
			CountingHandler onServer = new CountingHandler();
			CountingHandler onClient = new CountingHandler();
			link.server.setRequestHandler(onServer);
			link.client.setRequestHandler(onClient);
			Map<String, String> outcomes = new ConcurrentHashMap<>();
			List<Future<?>> calls = new ArrayList<>();
			for (int i = 0; i < CALLERS_EACH_WAY; i++) {
				String toServer = "to-server-" + i + "-";
				String toClient = "to-client-" + i + "-";
				calls.add(this.callers.submit(() -> call(() -> Optional.of(link.clientLink), toServer, outcomes)));
				calls.add(this.callers.submit(() -> call(() -> link.server.findLink(ProxiedLink.LINK_ID), toClient,
						outcomes)));
			}

			Random random = new Random(20261202);
			for (int kill = 0; kill < KILLS; kill++) {
				DualSocketLink side = random.nextBoolean() ? link.clientLink : currentServerLink(link);
				SocketRole socket = random.nextBoolean() ? SocketRole.OUTBOUND : SocketRole.INBOUND;
				int connects = connects(link);
				assertThat(side.dropSocket(socket)).isTrue();
				// One kill at a time: the client has re-connected the killed socket and both ends are NORMAL.
				await().atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> connects(link) == connects + 1);
				awaitBothNormal(link);
			}
			this.running.set(false);
			for (Future<?> call : calls) {
				call.get(60, TimeUnit.SECONDS);
			}

			awaitBothNormal(link);
			assertThat(this.listenerThrows).as("listeners threw").hasPositiveValue();
			assertThat(outcomes).isNotEmpty();
			assertThat(outcomes.values()).allSatisfy((outcome) -> assertThat(outcome).matches("answered|failed: .+"));
			assertThat(outcomes.values()).filteredOn("answered"::equals).hasSizeGreaterThan(100);
			outcomes.forEach((payload, outcome) -> {
				CountingHandler handler = payload.startsWith("to-server") ? onServer : onClient;
				AtomicInteger runs = handler.runs().get(payload);
				int ran = (runs != null) ? runs.get() : 0;
				if (outcome.equals("answered")) {
					assertThat(ran).as("runs of answered " + payload).isEqualTo(1);
				}
				else {
					assertThat(ran).as("runs of failed " + payload + " (" + outcome + ")").isLessThanOrEqualTo(1);
				}
			});
			assertThat(onServer.runs().keySet()).allSatisfy((payload) -> assertThat(outcomes).containsKey(payload));
			assertThat(onClient.runs().keySet()).allSatisfy((payload) -> assertThat(outcomes).containsKey(payload));
		}
	}

	/** Sends requests one after another until told to stop, recording how each ended. */
	private void call(Supplier<Optional<DualSocketLink>> link, String prefix, Map<String, String> outcomes) {
		for (int n = 0; this.running.get(); n++) {
			String payload = prefix + n;
			Optional<DualSocketLink> current = link.get();
			if (current.isEmpty()) {
				n--;
				Thread.onSpinWait();
				continue;
			}
			try {
				byte[] answer = current.get().request(payload.getBytes(UTF_8)).get(30, TimeUnit.SECONDS);
				assertThat(new String(answer, UTF_8)).isEqualTo(CountingHandler.answerTo(payload));
				outcomes.put(payload, "answered");
			}
			catch (ExecutionException ex) {
				// Only the library's own exceptions count as a clear failure.
				assertThat(ex.getCause()).isInstanceOf(DualSocketException.class);
				outcomes.put(payload, "failed: " + ex.getCause().getClass().getSimpleName());
			}
			catch (Exception ex) {
				outcomes.put(payload, "lost: " + ex);
				return;
			}
		}
	}

	/** How many connections the client's two sockets have had: each kill and its recovery adds one. */
	private static int connects(ProxiedLink link) {
		LinkSnapshot snapshot = link.clientLink.snapshot();
		return snapshot.outbound().connects() + snapshot.inbound().connects();
	}

	private static DualSocketLink currentServerLink(ProxiedLink link) {
		return link.server.findLink(ProxiedLink.LINK_ID).orElse(link.serverLink);
	}

	private static void awaitBothNormal(ProxiedLink link) {
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> link.clientLink.getState() == LinkState.NORMAL
					&& link.server.findLink(ProxiedLink.LINK_ID).map((l) -> l.getState() == LinkState.NORMAL).orElse(false)
					&& link.clientLink.snapshot().outbound().up() && link.clientLink.snapshot().inbound().up());
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eight threads send requests continuously both ways while one socket or the other is killed fifty times: every
 * request completes exactly once with the right response, and the link ends NORMAL. Kills are made by the kernel
 * ({@code ss -K}) where the tests run as root, otherwise by a proxy that resets the connection.
 */
class RecoveryUnderLoadTests {

	private static final int KILLS = 50;

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void everyRequestCompletesExactlyOnceWhileSocketsAreKilledFiftyTimes() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		Map<Long, AtomicInteger> serverRuns = new ConcurrentHashMap<>();
		server.setRequestHandler((request) -> {
			serverRuns.computeIfAbsent(request.requestId(), (id) -> new AtomicInteger()).incrementAndGet();
			return ("s:" + new String(request.payload(), UTF_8)).getBytes(UTF_8);
		});
		boolean kernel = KernelFaults.available();
		try (FaultProxy proxy = new FaultProxy(server.getLocalAddress().getPort())) {
			int port = kernel ? server.getLocalAddress().getPort() : proxy.port();
			ClientEndpoint client = this.bed.client("client", "link-1", port, TestBed.FAST);
			Map<Long, AtomicInteger> clientRuns = new ConcurrentHashMap<>();
			client.setRequestHandler((request) -> {
				clientRuns.computeIfAbsent(request.requestId(), (id) -> new AtomicInteger()).incrementAndGet();
				return ("c:" + new String(request.payload(), UTF_8)).getBytes(UTF_8);
			});
			DualSocketLink clientLink = client.link("link-1");
			TestBed.awaitNormal(clientLink);
			DualSocketLink serverLink = TestBed.awaitServerLink(server, "link-1");

			Load load = new Load();
			load.start(clientLink, "s:", 4);
			load.start(serverLink, "c:", 4);
			await().atMost(Duration.ofSeconds(10)).until(() -> load.answered.get() > 1000);

			List<Long> recoveryMillis = new ArrayList<>();
			for (int kill = 0; kill < KILLS; kill++) {
				SocketRole socket = (kill % 2 == 0) ? SocketRole.INBOUND : SocketRole.OUTBOUND;
				SocketSnapshot victim = (socket == SocketRole.OUTBOUND) ? clientLink.snapshot().outbound()
						: clientLink.snapshot().inbound();
				int connectsBefore = victim.connects();
				long answeredBefore = load.answered.get();
				Instant killed = Instant.now();
				if (kernel) {
					KernelFaults.kill(Sockets.localPort(victim), port);
				}
				else {
					proxy.connectionFrom(Sockets.localPort(victim)).cut();
				}
				await().atMost(Duration.ofSeconds(10))
					.until(() -> connects(clientLink, socket) == connectsBefore + 1
							&& connects(serverLink, socket.other()) == connectsBefore + 1
							&& clientLink.getState() == LinkState.NORMAL && serverLink.getState() == LinkState.NORMAL);
				recoveryMillis.add(Duration.between(killed, recoveredAt(killed)).toMillis());
				// Let traffic flow on the recovered link before the next kill.
				await().atMost(Duration.ofSeconds(10)).until(() -> load.answered.get() > answeredBefore + 100);
			}
			load.stop();

			assertThat(load.failures).isEmpty();
			assertThat(load.wrongAnswers).isEmpty();
			assertThat(clientLink.getState()).isEqualTo(LinkState.NORMAL);
			assertThat(serverLink.getState()).isEqualTo(LinkState.NORMAL);
			// Handler invocations == distinct request ids, on each side.
			assertThat(serverRuns).hasSize((int) load.sentOn(clientLink));
			assertThat(serverRuns.values()).allSatisfy((runs) -> assertThat(runs).hasValue(1));
			assertThat(clientRuns).hasSize((int) load.sentOn(serverLink));
			assertThat(clientRuns.values()).allSatisfy((runs) -> assertThat(runs).hasValue(1));
			Collections.sort(recoveryMillis);
			System.out.printf("Recovery from %d %s kills under load (%d requests): median %d ms, worst %d ms%n", KILLS,
					kernel ? "ss -K" : "proxy", load.answered.get(), recoveryMillis.get(KILLS / 2),
					recoveryMillis.get(KILLS - 1));
		}
	}

	private static int connects(DualSocketLink link, SocketRole socket) {
		return (socket == SocketRole.OUTBOUND) ? link.snapshot().outbound().connects()
				: link.snapshot().inbound().connects();
	}

	/** When both ends were NORMAL again with the killed socket re-attached: the last relevant event on either side. */
	private Instant recoveredAt(Instant killed) {
		Instant latest = killed;
		for (DualSocketEvent event : this.bed.events.all()) {
			boolean relevant = event instanceof SocketConnectedEvent || (event instanceof LinkStateChangedEvent change
					&& change.getTo() == LinkState.NORMAL);
			if (relevant && event.getTime().isAfter(latest)) {
				latest = event.getTime();
			}
		}
		return latest;
	}

	/**
	 * Callers that keep up to 32 requests each in flight, checking every response.
	 */
	private static final class Load {

		private final ExecutorService threads = Executors.newCachedThreadPool();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong answered = new AtomicLong();

		private final Map<DualSocketLink, AtomicLong> sent = new ConcurrentHashMap<>();

		private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<String> wrongAnswers = new ConcurrentLinkedQueue<>();

		private final Semaphore drained = new Semaphore(0);

		private int callers;

		void start(DualSocketLink link, String answerPrefix, int count) {
			AtomicLong sentOnLink = this.sent.computeIfAbsent(link, (key) -> new AtomicLong());
			for (int caller = 0; caller < count; caller++) {
				int id = this.callers++;
				this.threads.execute(() -> {
					Semaphore window = new Semaphore(32);
					long sequence = 0;
					while (this.running.get()) {
						window.acquireUninterruptibly();
						String payload = link.getEndpointName() + "-" + id + "-" + sequence++;
						sentOnLink.incrementAndGet();
						link.request(payload.getBytes(UTF_8)).whenComplete((response, failure) -> {
							if (failure != null) {
								this.failures.add(failure);
							}
							else if (!new String(response, UTF_8).equals(answerPrefix + payload)) {
								this.wrongAnswers.add(payload);
							}
							else {
								this.answered.incrementAndGet();
							}
							window.release();
						});
					}
					window.acquireUninterruptibly(32);
					this.drained.release();
				});
			}
		}

		long sentOn(DualSocketLink link) {
			return this.sent.get(link).get();
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			assertThat(this.drained.tryAcquire(this.callers, 30, TimeUnit.SECONDS)).isTrue();
			this.threads.shutdown();
		}

	}

}

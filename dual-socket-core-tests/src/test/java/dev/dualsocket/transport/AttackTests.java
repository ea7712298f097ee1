package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.SocketSnapshot;
import dev.dualsocket.test.Attacker;
import dev.dualsocket.test.Attacker.ConnectionFlood;
import dev.dualsocket.test.Attacker.HeartbeatFlood;
import dev.dualsocket.test.Attacker.RequestFlood;
import dev.dualsocket.test.MemoryProbe;
import dev.dualsocket.test.MemoryProbe.Usage;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The kit's {@link Attacker} on 127.0.0.1 against a server endpoint with every default limit (1024 pending
 * handshakes, 10,000 links, 50 heartbeats a second, the write-buffer water marks, 1 MiB frames), while a legitimate
 * client link keeps sending requests: each flood leaves that link {@code NORMAL}, with no socket failure, no
 * re-connect and every request answered, and the JVM's heap plus direct memory grow by at most {@link #MEMORY_BOUND}.
 */
@ExtendWith(OutputCaptureExtension.class)
class AttackTests {

	/**
	 * What the defaults let a flood make this JVM hold, derived from the bounds rather than fitted to a measurement.
	 * 1024 connections in their handshake cost a few MiB. A link that floods requests without reading makes the
	 * server hold at most: the answers it keeps for re-sent requests ({@code duplicate-cache-bytes}, 8 MiB per link),
	 * the requests read and not yet answered (1 MiB, section 6.4) with their answers, the unwritten backlog (256 KiB),
	 * and one read loop's worth: about 12 MiB per link, 48 MiB for four. Netty's allocator keeps the chunks it took for
	 * them pooled for reuse, which the probe counts too (measured: up to 20 MiB more direct memory with the default
	 * allocator than unpooled). Hence 96 MiB; measured 50 to 58 MiB for four links over 8 s, where an unbounded buffer
	 * passes it within a second on loopback. What an ended session held goes with it (without that, 85 to 134 MiB).
	 * Surefire runs this JVM with the JDK's default heap (a quarter of the RAM): the bound is far below it, and is
	 * meaningful because it is measured as heap used after a collection, not as heap committed.
	 */
	private static final long MEMORY_BOUND = 96L * 1024 * 1024;

	/** The link whose peace is the point; the attacker's links are all named {@code attacker-...}. */
	private static final String LINK = "legitimate";

	/** Every limit and timing as it is out of the box: heartbeat every 1 s, failed after 3 s; handshake timeout 5 s. */
	private static final LinkSettings DEFAULTS = LinkSettings.builder().build();

	private final LegitimateLinkEvents events = new LegitimateLinkEvents();

	private final TransportResources transport = TransportResources.create(TransportSettings.defaults());

	private ServerEndpoint server;

	private ClientEndpoint client;

	private DualSocketLink link;

	private Attacker attacker;

	@BeforeEach
	void startServerAndLegitimateLink() {
		this.server = new ServerEndpoint(EndpointSettings.server("server", "127.0.0.1", 0, DEFAULTS), this.transport,
				this.events);
		this.server.start();
		// An echo: answers as large as the attacker's requests, and nothing kept per request by the test itself.
		this.server.setRequestHandler((request) -> request.payload());
		int port = this.server.getLocalAddress().getPort();
		this.client = new ClientEndpoint(EndpointSettings.client("client", "127.0.0.1", port, LINK, DEFAULTS),
				this.transport, this.events);
		this.client.start();
		this.link = this.client.link(LINK);
		TestBed.awaitNormal(this.link);
		TestBed.awaitServerLink(this.server, LINK);
		this.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
		this.events.establishmentDone();
		this.attacker = Attacker.against("127.0.0.1", port);
	}

	@AfterEach
	void stop() {
		this.client.stop(Duration.ZERO);
		this.server.stop(Duration.ZERO);
		this.transport.close();
	}

	@Test
	void tenThousandSilentConnectionsFromOneAddressAreClosedAndTheLinkNoticesNothing() throws Exception {
		// Both ends live in this JVM: the attacker's open connections and the server's, and the build's own files.
		long needed = 2L * Attacker.MAX_OPEN_CONNECTIONS + 1024;
		long allowed = ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
		org.junit.jupiter.api.Assumptions.assumeTrue(allowed >= needed, () -> "the flood needs " + needed
				+ " file descriptors and this process may open " + allowed + "; raise the limit with ulimit -n "
				+ "(.ci/run does)");
		Attacked<ConnectionFlood> attacked = whileTheLinkWorks(() -> this.attacker.connectionFlood(10_000));
		ConnectionFlood flood = attacked.flood();

		assertThat(flood.opened()).isEqualTo(10_000);
		assertThat(flood.refused()).isZero();
		assertThat(flood.answered()).as("connections the server wrote to without a HELLO").isZero();
		assertThat(flood.leftOpen()).as("connections never closed").isZero();
		// Only connections that found a place among the 1024 pending handshakes were held; every other one was
		// closed at once. A place comes free when its connection times out, after 5 s.
		long rounds = 1 + flood.elapsed().toNanos() / DEFAULTS.connectTimeout().toNanos();
		assertThat(flood.closedLater()).isPositive()
			.isLessThanOrEqualTo((int) rounds * EndpointSettings.DEFAULT_MAX_PENDING_HANDSHAKES);
		assertThat(flood.longestOpen()).isLessThan(DEFAULTS.connectTimeout().plusSeconds(2));
		assertUnharmed(attacked);
	}

	@Test
	void fourLinksFloodingRequestsWithoutReadingStopBeingReadAndTheLinkNoticesNothing() throws Exception {
		// Longer than the heartbeat timeout (3 s) twice over: each link is closed and comes back at least once.
		Attacked<RequestFlood> attacked = whileTheLinkWorks(
				() -> this.attacker.requestFloodWithoutReading(4, Duration.ofSeconds(8)));
		RequestFlood flood = attacked.flood();

		assertThat(flood.handshakesFailed()).isZero();
		assertThat(flood.sessions()).isGreaterThanOrEqualTo(8);
		assertThat(flood.stoppedReading()).as("connections the server stopped reading").isGreaterThanOrEqualTo(4);
		assertThat(flood.closedByServer()).as("connections the server closed").isGreaterThanOrEqualTo(4);
		// What one connection got rid of before the server stopped reading it: what the server read and what the two
		// socket buffers between them hold, not what loopback carries in the 3 s until the close (gigabytes).
		assertThat(flood.mostBytesOnOneConnection()).isLessThan(MEMORY_BOUND);
		assertUnharmed(attacked);
	}

	@Test
	void strangersNewSessionsKnownSessionJoinsAndReplaysAreRefusedAndTheLinkNoticesNothing() throws Exception {
		byte[] capturedOpening = Attacker.hello(1, 1, 4242, LINK, new byte[0], new byte[0]);
		// The stranger knows the live session's id (say, from an old log): without its token it joins nothing.
		long knownSession = ((dev.dualsocket.link.Link) this.server.link(LINK)).sessionId();
		Attacked<java.util.Map<String, Integer>> attacked = whileTheLinkWorks(() -> {
			java.util.Map<String, Integer> answers = new java.util.TreeMap<>();
			// 500 rounds, and for at least 3 s, so that the legitimate client's load runs all along.
			long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			for (int i = 0; i < 500 || System.nanoTime() < until; i++) {
				answers.merge("new session: " + this.attacker.newSessionFor(LINK).reasonName(), 1, Integer::sum);
				byte[] guessedToken = new byte[16];
				java.util.concurrent.ThreadLocalRandom.current().nextBytes(guessedToken);
				answers.merge("join: " + this.attacker.join(LINK, knownSession, guessedToken, 1 + (i % 2)).reasonName(),
						1, Integer::sum);
				answers.merge("replay: " + this.attacker.replay(capturedOpening).reasonName(), 1, Integer::sum);
			}
			return answers;
		});
		// A new session (offered or replayed) for a link whose connections are live is refused (section 4.4); a
		// join naming the live session without its token is answered SESSION_ENDED, as for any session not held.
		assertThat(attacked.flood()).containsOnlyKeys("new session: LINK_IN_USE", "join: SESSION_ENDED",
				"replay: LINK_IN_USE");
		assertThat(attacked.flood().values()).allSatisfy((count) -> assertThat(count).isGreaterThanOrEqualTo(500));
		assertUnharmed(attacked);
	}

	@Test
	void heartbeatFloodIsClosedAfterFiftyHeartbeatsAndTheLinkNoticesNothing(CapturedOutput output) throws Exception {
		Attacked<HeartbeatFlood> attacked = whileTheLinkWorks(
				() -> this.attacker.heartbeatFlood(Duration.ofSeconds(3)));
		HeartbeatFlood flood = attacked.flood();

		assertThat(flood.connections()).isPositive();
		assertThat(flood.closedByServer()).isEqualTo(flood.connections());
		assertThat(flood.mostAnsweredOnOneConnection()).isLessThanOrEqualTo(HeartbeatHandler.MAX_HEARTBEATS_PER_SECOND);
		assertThat(flood.slowestClose()).isLessThan(Duration.ofSeconds(1));
		assertUnharmed(attacked);
		// Hundreds of connections broken in 3 s, yet the attacker's link talks within its budget (30 lines per 10 s
		// for its state changes and socket failures) and the violations are one rate-limited line per 10 s.
		long lines = output.getAll().lines().filter((line) -> line.contains("attacker-heartbeats")).count();
		System.out.println("log lines about the flooding link: " + lines);
		assertThat(lines).as("log lines about the flooding link").isLessThanOrEqualTo(2 * 30 + 10);
	}

	/**
	 * Runs a flood while the legitimate client sends requests, and measures memory from a settled baseline to the
	 * peak during the flood; prints what it measured, for the report.
	 */
	private <R> Attacked<R> whileTheLinkWorks(Callable<R> attack) throws Exception {
		Usage baseline = MemoryProbe.settled(Duration.ofSeconds(5));
		R flood;
		Usage peak;
		try (Load load = new Load(this.link); MemoryProbe.Watch watch = MemoryProbe.watch(Duration.ofMillis(500))) {
			flood = attack.call();
			load.finish();
			peak = watch.peak();
		}
		System.out.println(flood + "; memory baseline " + baseline + ", peak " + peak + ", growth "
				+ peak.minus(baseline));
		return new Attacked<>(flood, baseline, peak);
	}

	private void assertUnharmed(Attacked<?> attacked) {
		this.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
		assertThat(this.link.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.server.link(LINK).getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.events.harm).as("events of the legitimate link after it was established").isEmpty();
		for (DualSocketLink end : List.of(this.link, this.server.link(LINK))) {
			for (SocketSnapshot socket : List.of(end.snapshot().outbound(), end.snapshot().inbound())) {
				assertThat(socket.failures()).as(end.getEndpointName() + " " + socket.role()).isZero();
				assertThat(socket.connects()).as(end.getEndpointName() + " " + socket.role()).isOne();
			}
		}
		assertThat(attacked.peak().minus(attacked.baseline()).total())
			.as("growth of heap plus direct memory, peak " + attacked.peak())
			.isLessThanOrEqualTo(MEMORY_BOUND);
	}

	/** What a flood did, and the memory before and at its peak. */
	private record Attacked<R>(R flood, Usage baseline, Usage peak) {
	}

	/**
	 * The legitimate client's requests during a flood: one every 10 ms, each with a payload of its own that the echo
	 * must return.
	 */
	private static final class Load implements AutoCloseable {

		private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

		private final AtomicInteger sent = new AtomicInteger();

		private final AtomicInteger answered = new AtomicInteger();

		private final Queue<String> failures = new ConcurrentLinkedQueue<>();

		Load(DualSocketLink link) {
			this.timer.scheduleAtFixedRate(() -> {
				String payload = "legitimate-" + this.sent.incrementAndGet();
				link.request(payload.getBytes(UTF_8)).whenComplete((answer, failure) -> {
					if (failure == null && payload.equals(new String(answer, UTF_8))) {
						this.answered.incrementAndGet();
					}
					else {
						this.failures.add(payload + ": " + ((failure != null) ? failure : "wrong answer"));
					}
				});
			}, 0, 10, TimeUnit.MILLISECONDS);
		}

		/** Stops sending, waits for every answer and checks them. */
		void finish() {
			this.timer.shutdownNow();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.answered.get() + this.failures.size() == this.sent.get());
			assertThat(this.failures).as("legitimate requests that failed").isEmpty();
			// One request every 10 ms for the whole flood, not a handful before it began.
			assertThat(this.answered.get()).isGreaterThan(100);
		}

		@Override
		public void close() {
			this.timer.shutdownNow();
		}

	}

	/**
	 * Keeps, once the legitimate link is established, every event that says it was harmed: a socket failure, a
	 * re-connect attempt, a change of state. Events of the attacker's links are dropped: a flood makes thousands, and
	 * the memory they took would count against the bound.
	 */
	private static final class LegitimateLinkEvents implements DualSocketEventListener {

		final List<DualSocketEvent> harm = new CopyOnWriteArrayList<>();

		private volatile boolean established;

		void establishmentDone() {
			this.established = true;
		}

		@Override
		public void onEvent(DualSocketEvent event) {
			boolean harmful = event instanceof SocketFailedEvent || event instanceof ReconnectAttemptEvent
					|| event instanceof LinkStateChangedEvent;
			if (this.established && harmful && LINK.equals(event.getLinkId())) {
				this.harm.add(event);
			}
		}

	}

}

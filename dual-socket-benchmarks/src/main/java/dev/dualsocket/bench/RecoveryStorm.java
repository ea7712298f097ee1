package dev.dualsocket.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * Scenario 6: a recovery storm. One server endpoint and many client endpoints (one link each) in this JVM, each side
 * on one shared {@link TransportResources} with the default settings, default link settings, and a light load of a
 * few synchronous callers spread over the links. Then every socket on the server's port is killed at once with
 * {@code ss -K} (both ends of every connection), and the scenario measures the time from the kill until every link,
 * on both sides, is NORMAL again with both its sockets re-connected; the peak number of library threads (named
 * {@code dual-socket-*}) in the JVM, both transports together; and what became of every request.
 */
public final class RecoveryStorm {

	static final String SECTION = "6 Recovery storm";

	static final String SERVER = "storm-server";

	/** Synchronous callers, each going round its share of the links. */
	private static final int CALLERS = 4;

	/** Pause of each caller between two requests: a light load, a few thousand requests a second in all. */
	private static final long CALLER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final int CAPACITY = 1 << 22;

	private static final int START_BATCH = 50;

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

	private RecoveryStorm() {
	}

	/**
	 * One storm.
	 *
	 * @param killed sockets {@code ss -K} destroyed
	 * @param killNanos how long {@code ss -K} took
	 * @param lastNormalNanos from the start of the kill to the last link's return to NORMAL (either side), or -1 if
	 * some link did not recover within the limit
	 * @param seenNanos from the start of the kill until the poll saw every link whole
	 * @param peakThreads most library threads seen at once from the kill until every link was whole
	 * @param peakByPool that peak per pool
	 * @param disconnected client links that went DISCONNECTED (and were re-established) rather than re-connecting
	 * their sockets within a recovery procedure
	 * @param failedAttempts re-connect and establishment attempts that failed
	 * @param reconnectedNanos median and slowest return to NORMAL of the client links whose procedures re-connected
	 * their sockets
	 * @param reestablishedNanos the same for the client links that were re-established after going DISCONNECTED
	 */
	record Storm(int killed, long killNanos, long lastNormalNanos, long seenNanos, int peakThreads,
			Map<String, Integer> peakByPool, int disconnected, int failedAttempts, Spread reconnectedNanos,
			Spread reestablishedNanos) {

		boolean recovered() {
			return this.lastNormalNanos >= 0;
		}

		/** Which way the client links came back, and how fast (median / slowest). */
		String paths() {
			return String.format(Locale.ROOT, "%d client links re-connected their sockets (NORMAL after %s / %s), %d "
					+ "went DISCONNECTED and were re-established (%s / %s)", this.reconnectedNanos.rounds(),
					Report.duration(this.reconnectedNanos.median()), Report.duration(this.reconnectedNanos.max()),
					this.reestablishedNanos.rounds(), Report.duration(this.reestablishedNanos.median()),
					Report.duration(this.reestablishedNanos.max()));
		}

	}

	/**
	 * The figures.
	 *
	 * @param links client links
	 * @param storms each storm
	 * @param requests requests sent in the whole run
	 * @param lost neither answered nor failed clearly, or answered without having run
	 * @param twice run more than once by the server's handler
	 * @param failedClearly failed with one of the library's documented exceptions
	 * @param wrong answered with something else than their own answer
	 * @param peakThreads most library threads seen at once in the whole run (establishment included)
	 * @param available why the storm could not run, or null
	 */
	public record Result(int links, List<Storm> storms, long requests, long lost, long twice, long failedClearly,
			long wrong, int peakThreads, String available) {

		Spread lastNormal() {
			return Spread.of(this.storms.stream().filter(Storm::recovered).mapToDouble(Storm::lastNormalNanos).toArray());
		}

		int stormPeakThreads() {
			return this.storms.stream().mapToInt(Storm::peakThreads).max().orElse(0);
		}

		long unrecovered() {
			return this.storms.stream().filter((storm) -> !storm.recovered()).count();
		}

		boolean clean() {
			return this.available == null && !this.storms.isEmpty() && unrecovered() == 0 && this.lost == 0
					&& this.twice == 0 && this.wrong == 0;
		}

		List<Row> rows() {
			List<Row> rows = new ArrayList<>();
			if (this.available != null) {
				rows.add(new Row(SECTION, "every socket killed at once", null, null, null, "not run: " + this.available,
						""));
				return rows;
			}
			Spread lastNormal = lastNormal();
			rows.add(new Row(SECTION,
					String.format(Locale.ROOT, "%,d client links, every socket on the server's port killed (ss -K), %d "
							+ "times → last link NORMAL", this.links, this.storms.size()),
					null, lastNormal, null,
					String.format(Locale.ROOT, "max %s; %d unrecovered; peak %d library threads in the JVM (both sides; "
							+ "%d during establishment); lost %d, run twice %d, wrong answers %d, failed clearly %,d of "
							+ "%,d requests", Report.duration(lastNormal.max()), unrecovered(), stormPeakThreads(),
							this.peakThreads, this.lost, this.twice, this.wrong, this.failedClearly, this.requests),
					String.format(Locale.ROOT, "max %.2f× the 3 s target", lastNormal.max() / 3e9)));
			for (int i = 0; i < this.storms.size(); i++) {
				Storm storm = this.storms.get(i);
				rows.add(new Row(SECTION,
						String.format(Locale.ROOT, "  storm %d: %,d sockets killed in %s", i + 1, storm.killed(),
								Report.duration(storm.killNanos())),
						null, RecoveryScenario.single(storm.lastNormalNanos()), null,
						String.format(Locale.ROOT, "%s; %,d failed attempts; peak %d library threads %s",
								storm.paths(), storm.failedAttempts(), storm.peakThreads(), storm.peakByPool()),
						""));
			}
			return rows;
		}

	}

	public static Result run(Profile profile, PrintStream progress) throws Exception {
		String unavailable = KernelFaults.available() ? null : KernelFaults.unavailableReason();
		int links = profile.stormLinks();
		if (unavailable != null) {
			progress.println("  skipped: " + unavailable);
			return new Result(links, List.of(), 0, 0, 0, 0, 0, 0, unavailable);
		}
		LinkSettings settings = LinkSettings.builder().build();
		Tracker tracker = new Tracker();
		ThreadSampler threads = new ThreadSampler();
		threads.start();
		List<Storm> storms = new ArrayList<>();
		List<ClientEndpoint> clients = new ArrayList<>();
		try (TransportResources serverTransport = TransportResources.create(TransportSettings.defaults());
				TransportResources clientTransport = TransportResources.create(TransportSettings.defaults())) {
			ServerEndpoint server = new ServerEndpoint(SecuredEndpoints.server(SERVER, "127.0.0.1", 0, settings),
					serverTransport, tracker);
			Ledger ledger = new Ledger();
			server.setRequestHandler((request) -> {
				ledger.ran(Payloads.number(request.payload()));
				return Payloads.answer(request.payload());
			});
			server.start();
			int port = server.getLocalAddress().getPort();
			try {
				long start = System.nanoTime();
				List<DualSocketLink> clientLinks = DualSocketBed.startInBatches(links, START_BATCH,
						(j) -> new ClientEndpoint(
								SecuredEndpoints.client("storm-client-" + j, "127.0.0.1", port, linkId(j), settings),
								clientTransport, tracker),
						clients);
				awaitServerLinks(server, links);
				progress.printf("  %,d links up in %d ms; %d library threads%n", links,
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), threads.current());
				try (Callers callers = new Callers(clientLinks, ledger)) {
					LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // warm-up under load
					for (int i = 0; i < profile.stormKills(); i++) {
						Storm storm = storm(port, server, clientLinks, tracker, threads);
						storms.add(storm);
						progress.printf(Locale.ROOT,
								"  storm %d: %,d sockets killed in %s; last link NORMAL after %s (all seen whole after "
										+ "%s); %s; %,d failed attempts; peak %d library threads %s%n",
								i + 1, storm.killed(), Report.duration(storm.killNanos()),
								storm.recovered() ? Report.duration(storm.lastNormalNanos()) : "never",
								Report.duration(storm.seenNanos()), storm.paths(), storm.failedAttempts(),
								storm.peakThreads(), storm.peakByPool());
						if (!storm.recovered()) {
							break;
						}
						LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // steady load before the next storm
					}
					callers.stop();
					Ledger.Tally tally = ledger.tally(callers.sent());
					progress.printf(Locale.ROOT, "  requests %,d: lost %d, run twice %d, wrong answers %d, failed "
							+ "clearly %,d%n", tally.requests(), tally.lost(), tally.twice(), tally.wrong(),
							tally.failedClearly());
					return new Result(links, storms, tally.requests(), tally.lost(), tally.twice(),
							tally.failedClearly(), tally.wrong(), threads.peak(), null);
				}
			}
			finally {
				clients.forEach((client) -> client.stop(Duration.ZERO));
				server.stop(Duration.ZERO);
				threads.stop();
			}
		}
	}

	static String linkId(int i) {
		return "storm-" + i;
	}

	private static void awaitServerLinks(ServerEndpoint server, int links) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (server.links().stream().filter((link) -> link.getState() == LinkState.NORMAL).count() < links) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("only " + server.links().size() + " of " + links + " links came up");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	/**
	 * Kills every socket on the server's port and waits until every link is whole again: NORMAL on both sides, with
	 * two new connections attached on each side since the kill.
	 */
	private static Storm storm(int port, ServerEndpoint server, List<DualSocketLink> clientLinks, Tracker tracker,
			ThreadSampler threads) {
		Tracker.Window window = tracker.open(Instant.now());
		threads.resetWindow();
		long before = System.nanoTime();
		int killed = KernelFaults.killAll(port);
		long after = System.nanoTime();
		long deadline = after + RECOVERY_LIMIT.toNanos();
		while (!whole(server, clientLinks, window)) {
			if (System.nanoTime() > deadline) {
				return new Storm(killed, after - before, -1, -1, threads.windowPeak(), threads.windowPeakByPool(),
						window.disconnected(), window.failedAttempts(), window.clientNormal(false),
						window.clientNormal(true));
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		long seen = System.nanoTime() - before;
		return new Storm(killed, after - before, window.lastNormalNanos(), seen, threads.windowPeak(),
				threads.windowPeakByPool(), window.disconnected(), window.failedAttempts(), window.clientNormal(false),
				window.clientNormal(true));
	}

	private static boolean whole(ServerEndpoint server, List<DualSocketLink> clientLinks, Tracker.Window window) {
		for (DualSocketLink link : clientLinks) {
			if (link.getState() != LinkState.NORMAL || window.connects(false, link.getId()) < 2) {
				return false;
			}
			DualSocketLink serverLink = server.findLink(link.getId()).orElse(null);
			if (serverLink == null || serverLink.getState() != LinkState.NORMAL
					|| window.connects(true, link.getId()) < 2) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Follows the events of every endpoint: per link and side, connections attached and the last return to NORMAL
	 * since the storm began.
	 */
	static final class Tracker implements DualSocketEventListener {

		private volatile Window window;

		Window open(Instant killedAt) {
			Window opened = new Window(killedAt);
			this.window = opened;
			return opened;
		}

		@Override
		public void onEvent(DualSocketEvent event) {
			Window current = this.window;
			if (current == null || event.getTime().isBefore(current.killedAt) || event.getLinkId() == null) {
				return;
			}
			boolean serverSide = SERVER.equals(event.getEndpoint());
			if (event instanceof SocketConnectedEvent) {
				current.connects.computeIfAbsent(key(serverSide, event.getLinkId()), (k) -> new AtomicInteger())
					.incrementAndGet();
			}
			else if (event instanceof LinkStateChangedEvent change) {
				if (change.getTo() == LinkState.NORMAL) {
					long nanos = Duration.between(current.killedAt, change.getTime()).toNanos();
					current.lastNormal.accumulateAndGet(nanos, Math::max);
					if (!serverSide) {
						current.clientNormal.put(event.getLinkId(), nanos);
					}
				}
				else if (change.getTo() == LinkState.DISCONNECTED && !serverSide) {
					current.disconnected.incrementAndGet();
					current.clientDisconnected.add(event.getLinkId());
				}
			}
			else if (event instanceof ReconnectAttemptEvent attempt && attempt.getError() != null) {
				current.failedAttempts.incrementAndGet();
			}
		}

		private static String key(boolean serverSide, String linkId) {
			return (serverSide ? "s/" : "c/") + linkId;
		}

		/** What happened since one kill. */
		static final class Window {

			private final Instant killedAt;

			private final ConcurrentHashMap<String, AtomicInteger> connects = new ConcurrentHashMap<>();

			private final AtomicLong lastNormal = new AtomicLong(-1);

			private final AtomicInteger disconnected = new AtomicInteger();

			private final AtomicInteger failedAttempts = new AtomicInteger();

			private final Map<String, Long> clientNormal = new ConcurrentHashMap<>();

			private final java.util.Set<String> clientDisconnected = ConcurrentHashMap.newKeySet();

			Window(Instant killedAt) {
				this.killedAt = killedAt;
			}

			int connects(boolean serverSide, String linkId) {
				AtomicInteger count = this.connects.get(key(serverSide, linkId));
				return (count != null) ? count.get() : 0;
			}

			long lastNormalNanos() {
				return this.lastNormal.get();
			}

			int disconnected() {
				return this.disconnected.get();
			}

			int failedAttempts() {
				return this.failedAttempts.get();
			}

			/** When the client links came back to NORMAL: those that went DISCONNECTED, or the others. */
			Spread clientNormal(boolean disconnected) {
				return Spread.of(this.clientNormal.entrySet()
					.stream()
					.filter((entry) -> this.clientDisconnected.contains(entry.getKey()) == disconnected)
					.mapToDouble(Map.Entry::getValue)
					.toArray());
			}

		}

	}

	/** How each request ended for its caller, and how often the server's handler ran it. */
	static final class Ledger {

		private final AtomicIntegerArray runs = new AtomicIntegerArray(CAPACITY);

		private final AtomicIntegerArray outcomes = new AtomicIntegerArray(CAPACITY);

		void ran(long number) {
			if (number > 0 && number < CAPACITY) {
				this.runs.incrementAndGet((int) number);
			}
		}

		void ended(long number, RequestOutcome outcome) {
			this.outcomes.set((int) number, outcome.ordinal() + 1);
		}

		/**
		 * Accounts for the requests numbered 1 to {@code last}: lost unless it failed clearly, came back wrong, or
		 * both ran and got its own answer; twice if the handler ran it more than once.
		 */
		Tally tally(long last) {
			long lost = 0;
			long twice = 0;
			long failedClearly = 0;
			long wrong = 0;
			for (int n = 1; n <= last; n++) {
				int code = this.outcomes.get(n);
				RequestOutcome outcome = (code == 0) ? RequestOutcome.SILENT : RequestOutcome.values()[code - 1];
				int ran = this.runs.get(n);
				if (ran > 1) {
					twice++;
				}
				switch (outcome) {
					case FAILED_CLEARLY -> failedClearly++;
					case WRONG_ANSWER -> wrong++;
					case ANSWERED -> lost += (ran == 0) ? 1 : 0;
					default -> lost++;
				}
			}
			return new Tally(last, lost, twice, failedClearly, wrong);
		}

		record Tally(long requests, long lost, long twice, long failedClearly, long wrong) {
		}

	}

	/** A few synchronous callers, each going round its share of the links with a short pause between requests. */
	static final class Callers implements AutoCloseable {

		private final AtomicLong numbers = new AtomicLong();

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean running = true;

		Callers(List<DualSocketLink> links, Ledger ledger) {
			for (int c = 0; c < CALLERS; c++) {
				int first = c;
				Thread thread = new Thread(() -> {
					int next = first;
					while (this.running) {
						long number = this.numbers.incrementAndGet();
						if (number >= CAPACITY) {
							return;
						}
						DualSocketLink link = links.get(next);
						next = (next + CALLERS < links.size()) ? next + CALLERS : first;
						ledger.ended(number, RequestOutcome.call(link, Payloads.numbered(number), PATIENCE));
						LockSupport.parkNanos(CALLER_PAUSE_NANOS);
					}
				}, "bench-storm-caller-" + c);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		/** Stops the callers; each finishes (and records) the request it is waiting for. */
		void stop() throws InterruptedException {
			this.running = false;
			for (Thread thread : this.threads) {
				thread.join(PATIENCE.toMillis() + 5_000);
			}
		}

		/** The highest number handed out to a request that was sent. */
		long sent() {
			return Math.min(this.numbers.get(), CAPACITY - 1);
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

	/**
	 * Counts the JVM's library threads (named {@code dual-socket-*}) every millisecond, overall and per pool, and keeps
	 * the peaks: of the whole run, and of the window since the last {@link #resetWindow()}.
	 */
	static final class ThreadSampler {

		private final Thread sampler = new Thread(this::sample, "bench-storm-thread-sampler");

		private volatile boolean running = true;

		private volatile int current;

		private volatile int peak;

		private volatile int windowPeak;

		private final Map<String, Integer> windowPeakByPool = new TreeMap<>();

		void start() {
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.sampler.join(1_000);
		}

		int current() {
			return this.current;
		}

		int peak() {
			return this.peak;
		}

		int windowPeak() {
			return this.windowPeak;
		}

		synchronized Map<String, Integer> windowPeakByPool() {
			return new TreeMap<>(this.windowPeakByPool);
		}

		synchronized void resetWindow() {
			this.windowPeak = 0;
			this.windowPeakByPool.clear();
		}

		private void sample() {
			Thread[] all = new Thread[1024];
			while (this.running) {
				int n = Thread.enumerate(all);
				int library = 0;
				Map<String, Integer> byPool = new TreeMap<>();
				for (int i = 0; i < n; i++) {
					String name = all[i].getName();
					if (name.startsWith("dual-socket-")) {
						library++;
						byPool.merge(pool(name), 1, Integer::sum);
					}
				}
				this.current = library;
				this.peak = Math.max(this.peak, library);
				synchronized (this) {
					this.windowPeak = Math.max(this.windowPeak, library);
					byPool.forEach((pool, count) -> this.windowPeakByPool.merge(pool, count, Math::max));
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}

		/** "dual-socket-recovery-5-3" → "recovery" (Netty's thread factory adds the pool's and the thread's number). */
		static String pool(String name) {
			String rest = name.substring("dual-socket-".length());
			int end = rest.length();
			for (int parts = 0; parts < 2; parts++) {
				int dash = rest.lastIndexOf('-', end - 1);
				if (dash <= 0) {
					break;
				}
				end = dash;
			}
			return rest.substring(0, end);
		}

	}

}

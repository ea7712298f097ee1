package dev.dualsocket.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.SocketSnapshot;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.KernelFaults;

/**
 * Scenario 3: sockets killed (by the kernel, {@code ss -K}) and black-holed (by a proxy) under steady load in both
 * directions, with default link settings; how long until the link is whole again, and whether any request was lost
 * or run twice. Then the peer's whole JVM killed and started again ({@link PeerRestarts}), the server's and the
 * client's in turn.
 */
public final class RecoveryScenario {

	static final String SECTION = "3 Recovery";

	/** Synchronous callers sending requests client to server, and server to client. */
	private static final int CLIENT_CALLERS = 2;

	private static final int SERVER_CALLERS = 1;

	private RecoveryScenario() {
	}

	/** Which end of which connection a kill hits. */
	enum Kill {

		CLIENT_INBOUND_AT_CLIENT(SocketRole.INBOUND, true), CLIENT_OUTBOUND_AT_CLIENT(SocketRole.OUTBOUND, true),
		CLIENT_INBOUND_AT_SERVER(SocketRole.INBOUND, false), CLIENT_OUTBOUND_AT_SERVER(SocketRole.OUTBOUND, false);

		final SocketRole clientRole;

		final boolean clientEnd;

		Kill(SocketRole clientRole, boolean clientEnd) {
			this.clientRole = clientRole;
			this.clientEnd = clientEnd;
		}

		SocketRole serverRole() {
			return (this.clientRole == SocketRole.INBOUND) ? SocketRole.OUTBOUND : SocketRole.INBOUND;
		}

		String label() {
			return "client's " + this.clientRole.name().toLowerCase() + " (= server's " + serverRole().name().toLowerCase()
					+ "), killed at the " + (this.clientEnd ? "client" : "server");
		}

		/** Kill {@code i} of a run: alternates inbound and outbound, then the end. */
		static Kill nth(int i) {
			return values()[i % 4];
		}

	}

	/**
	 * The figures.
	 *
	 * @param killed what was killed, in order
	 * @param outcomes the steps of each recovery
	 * @param recoveryNanos time from each kill to NORMAL on both sides
	 * @param unrecovered kills after which the link did not recover within 10 s
	 * @param requests requests sent during the kills
	 * @param lost requests never answered nor failed clearly, or answered without having run
	 * @param failedClearly requests failed with one of the library's exceptions (none is expected: a socket kill
	 * ends no session)
	 * @param wrong requests answered with something else than the answer to their own payload
	 * @param twice requests that ran twice
	 * @param worstRequestNanos the longest any request waited during the kills
	 * @param heartbeatTimeout heartbeat timeout of the black-hole trials
	 * @param detectionNanos time from each black-hole to the first side declaring the socket failed
	 * @param blackHoleLost requests lost during the black-hole trials
	 * @param blackHoleTwice requests run twice during the black-hole trials
	 * @param available why kills could not run, or null
	 * @param restarts the peer restarts, the server's first
	 * @param drops the iptables-DROP black holes, per transport; empty where they could not run
	 * @param dropsUnavailable why they could not run, or null
	 */
	public record Result(List<Kill> killed, List<Outcome> outcomes, List<Long> recoveryNanos, int unrecovered,
			long requests, long lost, long failedClearly, long wrong,
			long twice, long worstRequestNanos, Duration heartbeatTimeout, List<Long> detectionNanos, long blackHoleLost,
			long blackHoleTwice, String available, List<PeerRestarts.Result> restarts,
			List<KernelBlackHoles.Result> drops, String dropsUnavailable) {

		/** Median time between two steps, over the recoveries that had both. */
		double step(java.util.function.ToLongFunction<Outcome> to, java.util.function.ToLongFunction<Outcome> from) {
			double[] steps = this.outcomes.stream()
				.filter((o) -> to.applyAsLong(o) != 0 && from.applyAsLong(o) != 0)
				.mapToDouble((o) -> Math.max(0, to.applyAsLong(o) - from.applyAsLong(o)))
				.toArray();
			return Spread.of(steps).median();
		}

		Histogram recoveries() {
			Histogram histogram = new Histogram();
			this.recoveryNanos.forEach(histogram::record);
			return histogram;
		}

		List<Row> rows() {
			List<Row> rows = new ArrayList<>();
			if (this.available != null) {
				rows.add(new Row(SECTION, "socket kills", null, null, null, "not run: " + this.available, ""));
			}
			else {
				Histogram all = recoveries();
				rows.add(new Row(SECTION, String.format("kill → NORMAL on both sides, %d kills under load", this.killed.size()),
						null, single(all.percentile(0.5)), single(all.percentile(0.99)),
						String.format("max %s; %d unrecovered; lost %d, run twice %d, wrong answers %d, failed clearly %d of"
								+ " %,d requests; slowest request %s", Report.duration(all.max()), this.unrecovered,
								this.lost, this.twice, this.wrong, this.failedClearly, this.requests,
								Report.duration(this.worstRequestNanos)),
						String.format("p99 %.2f× the 5 ms target", all.percentile(0.99) / 5e6)));
				rows.add(new Row(SECTION, "  steps (median): kill → client's procedure starts → socket re-connected → NORMAL",
						null, null, null,
						String.format("%s → %s → %s", Report.duration(step(Outcome::procedureAt, Outcome::killedAt)),
								Report.duration(step(Outcome::reconnectedAt, Outcome::procedureAt)),
								Report.duration(step(Outcome::recoveredAt, Outcome::reconnectedAt))),
						""));
				for (Kill kind : Kill.values()) {
					Histogram histogram = new Histogram();
					for (int i = 0; i < this.killed.size(); i++) {
						if (this.killed.get(i) == kind && i < this.recoveryNanos.size()) {
							histogram.record(this.recoveryNanos.get(i));
						}
					}
					if (histogram.count() > 0) {
						rows.add(new Row(SECTION, "  " + kind.label() + " (" + histogram.count() + ")", null,
								single(histogram.percentile(0.5)), single(histogram.percentile(0.99)),
								"max " + Report.duration(histogram.max()), ""));
					}
				}
			}
			Histogram detection = new Histogram();
			this.detectionNanos.forEach(detection::record);
			rows.add(new Row(SECTION,
					String.format("black-holed socket → detected, %d trials, heartbeat timeout %d ms",
							this.detectionNanos.size(), this.heartbeatTimeout.toMillis()),
					null, single(detection.percentile(0.5)), single(detection.percentile(0.99)),
					String.format("max %s; lost %d, run twice %d", Report.duration(detection.max()), this.blackHoleLost,
							this.blackHoleTwice),
					String.format("max %.2f× timeout", detection.max() / (double) this.heartbeatTimeout.toNanos())));
			if (this.dropsUnavailable != null) {
				rows.add(new Row(SECTION, "iptables DROP of a socket", null, null, null,
						"not run: " + this.dropsUnavailable, ""));
			}
			for (KernelBlackHoles.Result drop : this.drops) {
				rows.add(drop.row());
			}
			for (PeerRestarts.Result restart : this.restarts) {
				rows.addAll(restart.rows());
			}
			return rows;
		}

	}

	static Spread single(double value) {
		return new Spread(value, value, value, 1);
	}

	public static Result run(Profile profile, PrintStream progress) throws Exception {
		String unavailable = KernelFaults.available() ? null : KernelFaults.unavailableReason();
		List<Kill> killed = new ArrayList<>();
		List<Long> recoveries = new ArrayList<>();
		List<Outcome> outcomes = new ArrayList<>();
		int unrecovered = 0;
		long requests = 0;
		long lost = 0;
		long failedClearly = 0;
		long wrong = 0;
		long twice = 0;
		long worst = 0;
		if (unavailable == null) {
			EventTape tape = new EventTape();
			try (DualSocketBed bed = new DualSocketBed(LinkSettings.builder().build(), tape);
					SteadyLoad load = new SteadyLoad(bed)) {
				load.runFor(Duration.ofMillis(500)); // warm-up
				load.startMeasuring();
				for (int i = 0; i < profile.kills(); i++) {
					Kill kill = Kill.nth(i);
					Outcome outcome = killAndAwait(bed, tape, kill);
					killed.add(kill);
					if (outcome == null) {
						unrecovered++;
						DualSocketBed.awaitNormal(bed.clientLink, Duration.ofSeconds(30));
					}
					else {
						recoveries.add(outcome.nanos());
						outcomes.add(outcome);
					}
					LockSupport.parkNanos(profile.pauseBetweenKills().toNanos());
					if ((i + 1) % 50 == 0 || i + 1 == profile.kills()) {
						Histogram h = new Histogram();
						recoveries.forEach(h::record);
						progress.printf("  %3d kills: recovery p50 %s, p99 %s, max %s%n", i + 1,
								Report.duration(h.percentile(0.5)), Report.duration(h.percentile(0.99)),
								Report.duration(h.max()));
					}
				}
				SteadyLoad.Tally tally = load.finish();
				requests = tally.requests;
				lost = tally.lost;
				failedClearly = tally.failedClearly;
				wrong = tally.wrong;
				twice = tally.twice;
				worst = tally.worstNanos;
				progress.printf("  requests %,d, lost %d, run twice %d, wrong answers %d, failed clearly %d, slowest %s%n",
						requests, lost, twice, wrong, failedClearly, Report.duration(worst));
			}
		}
		else {
			progress.println("  socket kills skipped: " + unavailable);
		}
		BlackHoles blackHoles = blackHoles(profile, progress);
		String dropsUnavailable = KernelBlackHoles.unavailableReason();
		List<KernelBlackHoles.Result> drops = (dropsUnavailable == null) ? KernelBlackHoles.run(profile, progress)
				: List.of();
		if (dropsUnavailable != null) {
			progress.println("  iptables DROP black holes skipped: " + dropsUnavailable);
		}
		List<PeerRestarts.Result> restarts = new ArrayList<>();
		for (PeerRestarts.Restarted restarted : PeerRestarts.Restarted.values()) {
			progress.printf("  peer restarts: the %s JVM killed (SIGKILL) and started again on its port, %d times%n",
					restarted.label(), profile.restarts());
			restarts.add(PeerRestarts.run(restarted, profile.restarts(), profile.pauseBetweenRestarts(), profile,
					progress));
		}
		return new Result(killed, outcomes, recoveries, unrecovered, requests, lost, failedClearly, wrong, twice, worst,
				profile.blackHoleTimeout(), blackHoles.detections, blackHoles.lost, blackHoles.twice, unavailable,
				restarts, drops, dropsUnavailable);
	}

	static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

	static SocketSnapshot socket(DualSocketLink link, SocketRole role) {
		return (role == SocketRole.OUTBOUND) ? link.snapshot().outbound() : link.snapshot().inbound();
	}

	/**
	 * When a kill happened, the steps of the recovery, and when the link was whole again ({@link System#nanoTime()};
	 * 0 for a step that did not happen).
	 *
	 * @param killedAt the kill
	 * @param procedureAt the client's link went RECOVERING (its recovery procedure started)
	 * @param reconnectedAt the client attached the new connection
	 * @param recoveredAt both sides NORMAL with the socket re-connected
	 */
	record Outcome(long killedAt, long procedureAt, long reconnectedAt, long recoveredAt) {

		long nanos() {
			return Math.max(0, this.recoveredAt - this.killedAt);
		}

	}

	/**
	 * Kills one socket and waits until both sides are NORMAL with the socket re-connected.
	 * @return when, or {@code null} if the link did not recover in 10 s
	 */
	static Outcome killAndAwait(DualSocketBed bed, EventTape tape, Kill kill) {
		SocketSnapshot socket = socket(bed.clientLink, kill.clientRole);
		int clientPort = port(socket.localAddress());
		int serverPort = port(socket.remoteAddress());
		int clientConnects = tape.connects(DualSocketBed.CLIENT, kill.clientRole);
		int serverConnects = tape.connects(DualSocketBed.SERVER, kill.serverRole());
		int mark = tape.size();
		long before = System.nanoTime();
		if (kill.clientEnd) {
			KernelFaults.kill(clientPort, serverPort);
		}
		else {
			KernelFaults.kill(serverPort, clientPort);
		}
		long after = System.nanoTime();
		long deadline = after + TimeUnit.SECONDS.toNanos(10);
		while (!(bed.clientLink.getState() == LinkState.NORMAL && bed.serverLink.getState() == LinkState.NORMAL
				&& tape.connects(DualSocketBed.CLIENT, kill.clientRole) > clientConnects
				&& tape.connects(DualSocketBed.SERVER, kill.serverRole()) > serverConnects)) {
			if (System.nanoTime() > deadline) {
				return null;
			}
			LockSupport.parkNanos(100_000);
		}
		return outcome(tape.since(mark), before, after, kill);
	}

	/**
	 * From the kill (the moment {@code ss} returned, or the first failure either side reported if that came sooner)
	 * to the last of: both re-connections, and either side's return to NORMAL.
	 */
	static Outcome outcome(List<EventTape.Timed> events, long before, long after, Kill kill) {
		long killed = after;
		long recovered = 0;
		long procedure = 0;
		long reconnected = 0;
		for (EventTape.Timed timed : events) {
			if (procedure == 0 && timed.isStateChange(DualSocketBed.CLIENT, LinkState.RECOVERING)) {
				procedure = timed.nanos();
			}
			if (timed.isConnect(DualSocketBed.CLIENT, kill.clientRole)) {
				reconnected = timed.nanos();
			}
			if (timed.nanos() >= before && (timed.isFailure(DualSocketBed.CLIENT, kill.clientRole)
					|| timed.isFailure(DualSocketBed.SERVER, kill.serverRole()))) {
				killed = Math.min(killed, timed.nanos());
			}
			if (timed.isConnect(DualSocketBed.CLIENT, kill.clientRole)
					|| timed.isConnect(DualSocketBed.SERVER, kill.serverRole())
					|| timed.isStateChange(DualSocketBed.CLIENT, LinkState.NORMAL)
					|| timed.isStateChange(DualSocketBed.SERVER, LinkState.NORMAL)) {
				recovered = Math.max(recovered, timed.nanos());
			}
		}
		return new Outcome(killed, procedure, reconnected, Math.max(recovered, killed));
	}

	private record BlackHoles(List<Long> detections, long lost, long twice) {
	}

	private static BlackHoles blackHoles(Profile profile, PrintStream progress) throws Exception {
		LinkSettings settings = LinkSettings.builder()
			.heartbeat(profile.blackHoleInterval(), profile.blackHoleTimeout())
			.build();
		EventTape tape = new EventTape();
		AtomicReference<FaultProxy> proxy = new AtomicReference<>();
		List<Long> detections = new ArrayList<>();
		try (DualSocketBed bed = new DualSocketBed(settings, tape, (port) -> {
			try {
				proxy.set(new FaultProxy(port));
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			return proxy.get().port();
		}); SteadyLoad load = new SteadyLoad(bed)) {
			load.startMeasuring();
			for (int i = 0; i < profile.blackHoles(); i++) {
				SocketRole role = (i % 2 == 0) ? SocketRole.OUTBOUND : SocketRole.INBOUND;
				long detected = detectSilence(bed, tape, role, profile.blackHoleTimeout(), (clientPort) -> {
					proxy.get().connectionFrom(clientPort).blackHole();
					return () -> {
					};
				});
				detections.add(detected);
				progress.printf("  black-holed the client's %s socket: detected after %s (timeout %d ms)%n",
						role.name().toLowerCase(), Report.duration(detected), profile.blackHoleTimeout().toMillis());
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			}
			SteadyLoad.Tally tally = load.finish();
			progress.printf("  requests %,d, lost %d, run twice %d, wrong answers %d, failed clearly %d%n", tally.requests,
					tally.lost, tally.twice, tally.wrong, tally.failedClearly);
			// A wrong answer is worse than a lost request; the black-hole row counts it with them.
			return new BlackHoles(detections, tally.lost + tally.wrong, tally.twice);
		}
		finally {
			if (proxy.get() != null) {
				proxy.get().close();
			}
		}
	}

	/** Silences one connection of a link, given the client's port of it; returns what undoes that, if anything. */
	@FunctionalInterface
	interface Silencer {

		Undo silence(int clientPort) throws Exception;

	}

	@FunctionalInterface
	interface Undo {

		void undo() throws Exception;

	}

	/**
	 * Silences one socket of the link and waits until both sides are NORMAL with it re-connected.
	 * @return the time from the silence to the first side declaring the socket failed
	 * @throws IllegalStateException if the link does not recover within five heartbeat timeouts and 10 s
	 */
	static long detectSilence(DualSocketBed bed, EventTape tape, SocketRole role, Duration heartbeatTimeout,
			Silencer silencer) throws Exception {
		SocketRole serverRole = (role == SocketRole.OUTBOUND) ? SocketRole.INBOUND : SocketRole.OUTBOUND;
		int clientPort = port(socket(bed.clientLink, role).localAddress());
		int clientConnects = tape.connects(DualSocketBed.CLIENT, role);
		int serverConnects = tape.connects(DualSocketBed.SERVER, serverRole);
		int mark = tape.size();
		long start = System.nanoTime();
		Undo undo = silencer.silence(clientPort);
		try {
			long deadline = start + heartbeatTimeout.toNanos() * 5 + TimeUnit.SECONDS.toNanos(10);
			while (!(bed.clientLink.getState() == LinkState.NORMAL && bed.serverLink.getState() == LinkState.NORMAL
					&& tape.connects(DualSocketBed.CLIENT, role) > clientConnects
					&& tape.connects(DualSocketBed.SERVER, serverRole) > serverConnects)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("the link did not recover from a silenced " + role + " socket");
				}
				LockSupport.parkNanos(1_000_000);
			}
		}
		finally {
			undo.undo();
		}
		long detected = tape.since(mark)
			.stream()
			.filter((t) -> t.isFailure(DualSocketBed.CLIENT, role) || t.isFailure(DualSocketBed.SERVER, serverRole))
			.mapToLong(EventTape.Timed::nanos)
			.min()
			.orElse(Long.MAX_VALUE);
		return detected - start;
	}

	/**
	 * Synchronous callers in both directions, each request numbered; both handlers note every number they run and
	 * answer with {@link Payloads#answer}, and the callers note how each number ended, so that afterwards every
	 * request is accounted for: it failed clearly (one of the library's exceptions, which tells the caller it may not
	 * have run), came back with a wrong answer, or else is lost unless it ran and its own answer came back; it ran
	 * twice if its handler ran twice.
	 */
	static final class SteadyLoad implements AutoCloseable {

		private static final int CAPACITY_BITS = 1 << 26;

		private final ExecutionLog ranOnServer = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog ranOnClient = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog answeredByServer = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog answeredByClient = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog failedToServer = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog failedToClient = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog wrongFromServer = new ExecutionLog(CAPACITY_BITS);

		private final ExecutionLog wrongFromClient = new ExecutionLog(CAPACITY_BITS);

		private final AtomicLong toServer = new AtomicLong();

		private final AtomicLong toClient = new AtomicLong();

		private final AtomicLong worst = new AtomicLong();

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean running = true;

		private volatile boolean measuring;

		SteadyLoad(DualSocketBed bed) {
			bed.server.setRequestHandler((request) -> {
				this.ranOnServer.ran(Payloads.number(request.payload()));
				return Payloads.answer(request.payload());
			});
			bed.client.setRequestHandler((request) -> {
				this.ranOnClient.ran(Payloads.number(request.payload()));
				return Payloads.answer(request.payload());
			});
			for (int i = 0; i < CLIENT_CALLERS; i++) {
				start(bed.clientLink, this.toServer, this.answeredByServer, this.failedToServer, this.wrongFromServer,
						"bench-load-to-server-" + i);
			}
			for (int i = 0; i < SERVER_CALLERS; i++) {
				start(bed.serverLink, this.toClient, this.answeredByClient, this.failedToClient, this.wrongFromClient,
						"bench-load-to-client-" + i);
			}
		}

		private void start(DualSocketLink link, AtomicLong numbers, ExecutionLog answered, ExecutionLog failed,
				ExecutionLog wrong, String name) {
			Thread thread = new Thread(() -> {
				while (this.running) {
					long number = numbers.incrementAndGet();
					if (number >= CAPACITY_BITS) {
						return;
					}
					long sent = System.nanoTime();
					switch (RequestOutcome.call(link, Payloads.numbered(number), Duration.ofSeconds(30))) {
						case ANSWERED -> answered.ran(number);
						case WRONG_ANSWER -> wrong.ran(number);
						case FAILED_CLEARLY -> failed.ran(number);
						default -> {
							// silence, or an exception the library does not document: counted as lost below
						}
					}
					if (this.measuring) {
						this.worst.accumulateAndGet(System.nanoTime() - sent, Math::max);
					}
				}
			}, name);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}

		void runFor(Duration duration) {
			LockSupport.parkNanos(duration.toNanos());
		}

		void startMeasuring() {
			this.measuring = true;
		}

		/**
		 * Stops the callers and accounts for every request sent: each must have run exactly once where it was sent.
		 */
		Tally finish() throws InterruptedException {
			this.running = false;
			for (Thread thread : this.threads) {
				thread.join(35_000);
			}
			long lastToServer = Math.min(this.toServer.get(), CAPACITY_BITS - 1);
			long lastToClient = Math.min(this.toClient.get(), CAPACITY_BITS - 1);
			long lost = ExecutionLog.countLost(this.ranOnServer, this.answeredByServer, this.failedToServer,
					this.wrongFromServer, lastToServer)
					+ ExecutionLog.countLost(this.ranOnClient, this.answeredByClient, this.failedToClient,
							this.wrongFromClient, lastToClient);
			long failedClearly = this.failedToServer.count(lastToServer) + this.failedToClient.count(lastToClient);
			long wrong = this.wrongFromServer.count(lastToServer) + this.wrongFromClient.count(lastToClient);
			long twice = this.ranOnServer.twice() + this.ranOnClient.twice();
			return new Tally(lastToServer + lastToClient, lost, failedClearly, wrong, twice, this.worst.get());
		}

		@Override
		public void close() {
			this.running = false;
			try {
				for (Thread thread : this.threads) {
					thread.join(35_000);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		record Tally(long requests, long lost, long failedClearly, long wrong, long twice, long worstNanos) {
		}

	}

	/** Which request numbers ran, and which ran more than once. */
	static final class ExecutionLog {

		private final AtomicLongArray once;

		private final AtomicLongArray again;

		ExecutionLog(int capacity) {
			this.once = new AtomicLongArray(capacity / 64);
			this.again = new AtomicLongArray(capacity / 64);
		}

		void ran(long number) {
			int word = (int) (number >>> 6);
			long bit = 1L << (number & 63);
			long before = this.once.getAndUpdate(word, (w) -> w | bit);
			if ((before & bit) != 0) {
				this.again.getAndUpdate(word, (w) -> w | bit);
			}
		}

		boolean has(long number) {
			return (this.once.get((int) (number >>> 6)) & (1L << (number & 63))) != 0;
		}

		/**
		 * Numbers 1 to {@code last} that neither failed clearly nor came back wrong, and did not both run and get
		 * their own answer back: never answered nor failed, or answered without having run.
		 */
		static long countLost(ExecutionLog ran, ExecutionLog answered, ExecutionLog failed, ExecutionLog wrong,
				long last) {
			long missing = 0;
			for (long n = 1; n <= last; n++) {
				if (!failed.has(n) && !wrong.has(n) && !(ran.has(n) && answered.has(n))) {
					missing++;
				}
			}
			return missing;
		}

		/** How many of the numbers 1 to {@code last} are in the log. */
		long count(long last) {
			long count = 0;
			for (long n = 1; n <= last; n++) {
				if (has(n)) {
					count++;
				}
			}
			return count;
		}

		long twice() {
			long count = 0;
			for (int i = 0; i < this.again.length(); i++) {
				count += Long.bitCount(this.again.get(i));
			}
			return count;
		}

	}

}

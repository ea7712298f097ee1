package dev.dualsocket.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * Scenario 3's restart case: under steady load both ways, the peer, a child JVM, is killed with SIGKILL and started
 * again on the same port, several times, while this JVM's side of the link survives. Each incarnation of the peer
 * records in a {@link RunLog} every request its handler ran and how each of its own requests ended; this JVM keeps the
 * same for its side in a {@link RestartLedger}. Afterwards every request is accounted for across all incarnations:
 * answered with its own answer, failed clearly, lost, run twice, or answered wrongly.
 */
final class PeerRestarts {

	static final String LINK_ID = "bench-restart";

	/** How long a caller waits for an outcome before calling it silence: well past the 5 s request timeout. */
	private static final Duration PATIENCE = Duration.ofSeconds(30);

	/**
	 * A caller's pause after a request that did not succeed: while the link is DISCONNECTED every request fails at
	 * once, and a caller retrying in a tight loop would only count failures and take the CPU from the restarting JVM.
	 */
	private static final long BACK_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final Duration PEER_START = Duration.ofSeconds(60);

	private static final Duration BACK_TO_NORMAL = Duration.ofSeconds(60);

	private PeerRestarts() {
	}

	/** Which side of the link is killed and started again; the other, in this JVM, survives. */
	enum Restarted {

		SERVER, CLIENT;

		String label() {
			return name().toLowerCase();
		}

		String survivor() {
			return (this == SERVER) ? "client" : "server";
		}

	}

	/**
	 * One restart.
	 *
	 * @param peerUpNanos from the kill to the new incarnation listening (server) or established (client)
	 * @param normalNanos from the kill to the surviving side's link being NORMAL again; -1 if it was not within 60 s
	 * @param states the surviving link's states from the kill on
	 * @param toPeer requests from the surviving side to the peer, counted under this restart
	 * @param fromPeer requests of the peer's incarnation killed at this restart
	 */
	record Restart(long peerUpNanos, long normalNanos, String states, RestartLedger.Tally toPeer,
			RestartLedger.Tally fromPeer) {
	}

	/**
	 * @param restarted which side was restarted
	 * @param restarts each restart, in order
	 * @param toPeer all requests from the surviving side
	 * @param fromPeer all requests from the peer's incarnations
	 */
	record Result(Restarted restarted, List<Restart> restarts, RestartLedger.Tally toPeer, RestartLedger.Tally fromPeer) {

		long unrecovered() {
			return this.restarts.stream().filter((r) -> r.normalNanos < 0).count();
		}

		Histogram normal() {
			Histogram histogram = new Histogram();
			this.restarts.stream().filter((r) -> r.normalNanos >= 0).forEach((r) -> histogram.record(r.normalNanos));
			return histogram;
		}

		boolean clean() {
			RestartLedger.Tally all = this.toPeer.plus(this.fromPeer);
			return all.lost() == 0 && all.twice() == 0 && all.wrong() == 0 && all.failedOtherwise() == 0
					&& all.crossed() == 0 && unrecovered() == 0;
		}

		List<Row> rows() {
			List<Row> rows = new ArrayList<>();
			Histogram normal = normal();
			String s = this.restarted.label();
			String c = this.restarted.survivor();
			rows.add(new Row(RecoveryScenario.SECTION,
					String.format("%s JVM killed (SIGKILL) and restarted on its port, %d times under load → %s NORMAL",
							s, this.restarts.size(), c),
					null, RecoveryScenario.single(normal.percentile(0.5)), RecoveryScenario.single(normal.percentile(0.99)),
					String.format("max %s; %d unrecovered; %s → %s: %s; %s → %s: %s", Report.duration(normal.max()),
							unrecovered(), c, s, this.toPeer.describe(), s, c, this.fromPeer.describe()),
					clean() ? "0 lost, 0 run twice, 0 wrong" : "**not clean**"));
			for (int i = 0; i < this.restarts.size(); i++) {
				Restart r = this.restarts.get(i);
				rows.add(new Row(RecoveryScenario.SECTION,
						String.format("  restart %d: %s back after %s; %s", i + 1, s, Report.duration(r.peerUpNanos),
								r.states),
						null, (r.normalNanos >= 0) ? RecoveryScenario.single(r.normalNanos) : null, null,
						String.format("%s → %s: %s; %s → %s: %s", c, s, r.toPeer.describe(), s, c, r.fromPeer.describe()),
						""));
			}
			return rows;
		}

	}

	/** Synchronous callers on the client side or on the server side, as in the socket kills. */
	static int callers(boolean clientSide) {
		return clientSide ? 2 : 1;
	}

	/** Receives what a caller did. */
	interface Sink {

		void sent(long number);

		void ended(long number, RequestOutcome outcome);

	}

	/** A synchronous caller: numbered requests one after the other while {@code running} says so. */
	static void callLoop(Supplier<DualSocketLink> links, LongSupplier numbers, BooleanSupplier running, Sink sink) {
		while (running.getAsBoolean()) {
			DualSocketLink link = links.get();
			if (link == null) {
				// The server endpoint has no link of that id yet: nothing to send on.
				LockSupport.parkNanos(BACK_OFF_NANOS);
				continue;
			}
			long number = numbers.getAsLong();
			sink.sent(number);
			RequestOutcome outcome = RequestOutcome.call(link, Payloads.numbered(number), PATIENCE);
			sink.ended(number, outcome);
			if (outcome != RequestOutcome.ANSWERED) {
				LockSupport.parkNanos(BACK_OFF_NANOS);
			}
		}
	}

	static Thread thread(String name, Runnable body) {
		Thread thread = new Thread(body, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	// ------------------------------------------------------------------------------------------------------------
	// This JVM: the surviving side
	// ------------------------------------------------------------------------------------------------------------

	static Result run(Restarted restarted, int restarts, Duration pause, Profile profile, PrintStream progress)
			throws Exception {
		Path dir = Files.createTempDirectory("bench-restarts-");
		LinkSettings settings = LinkSettings.builder().build();
		EventTape tape = new EventTape();
		RestartLedger ledger = new RestartLedger();
		String survivorName = (restarted == Restarted.SERVER) ? DualSocketBed.CLIENT : DualSocketBed.SERVER;
		long[] killedAt = new long[restarts + 2];
		AtomicInteger restart = new AtomicInteger(1);
		AtomicLong numbers = new AtomicLong();
		List<Restart> done = new ArrayList<>();
		List<Thread> callers = new ArrayList<>();
		Children.Child[] peer = new Children.Child[1];
		AtomicBoolean running = new AtomicBoolean(true);
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults())) {
			DualSocketEndpoint survivor;
			int port = 0;
			if (restarted == Restarted.SERVER) {
				peer[0] = startPeer(restarted, 0, 0, dir, profile);
				port = ready(peer[0]);
				survivor = new ClientEndpoint(
						SecuredEndpoints.client(survivorName, "127.0.0.1", port, LINK_ID, settings), transport, tape);
			}
			else {
				survivor = new ServerEndpoint(SecuredEndpoints.server(survivorName, "127.0.0.1", 0, settings),
						transport, tape);
			}
			survivor.setRequestHandler((request) -> {
				ledger.ran(Payloads.number(request.payload()));
				return Payloads.answer(request.payload());
			});
			survivor.start();
			try {
				if (restarted == Restarted.CLIENT) {
					port = ((ServerEndpoint) survivor).getLocalAddress().getPort();
					peer[0] = startPeer(restarted, port, 0, dir, profile);
					ready(peer[0]);
				}
				awaitLink(survivor);
				Sink sink = new Sink() {

					@Override
					public void sent(long number) {
						RestartLedger.Entry entry = ledger.entry(number);
						entry.restart = Math.min(restart.get(), restarts);
						entry.sentAt = System.nanoTime();
					}

					@Override
					public void ended(long number, RequestOutcome outcome) {
						ledger.entry(number).outcome = outcome;
					}

				};
				for (int i = 0; i < callers(restarted == Restarted.SERVER); i++) {
					callers.add(thread("bench-restart-caller-" + i, () -> callLoop(
							() -> survivor.findLink(LINK_ID).orElse(null), numbers::incrementAndGet,
							running::get, sink)));
				}
				for (int k = 1; k <= restarts; k++) {
					LockSupport.parkNanos(pause.toNanos());
					int mark = tape.size();
					killedAt[k] = System.nanoTime();
					peer[0].process.destroyForcibly();
					peer[0].process.waitFor(30, TimeUnit.SECONDS);
					peer[0] = startPeer(restarted, port, k, dir, profile);
					ready(peer[0]);
					long upAt = System.nanoTime();
					long normalAt = awaitNormal(tape, survivorName, mark, BACK_TO_NORMAL);
					// From here on this side's requests count under the next restart.
					restart.incrementAndGet();
					String states = states(tape, survivorName, mark);
					done.add(new Restart(upAt - killedAt[k], (normalAt != 0) ? normalAt - killedAt[k] : -1, states,
							null, null));
					progress.printf("  %s restart %d: back after %s, %s NORMAL after %s (%s)%n", restarted.label(), k,
							Report.duration(upAt - killedAt[k]), restarted.survivor(),
							(normalAt != 0) ? Report.duration(normalAt - killedAt[k]) : "never", states);
					if (normalAt == 0) {
						DualSocketBed.awaitNormal(survivor.findLink(LINK_ID).orElseThrow(), Duration.ofSeconds(60));
					}
				}
				LockSupport.parkNanos(pause.toNanos());
				running.set(false);
				for (Thread caller : callers) {
					caller.join(PATIENCE.toMillis() + 5_000);
				}
				peer[0].stop();
			}
			finally {
				running.set(false);
				if (peer[0] != null) {
					peer[0].destroy();
				}
				survivor.stop(Duration.ZERO);
			}
		}
		for (int k = 0; k <= restarts; k++) {
			Path log = dir.resolve("peer-" + k + ".log");
			if (Files.exists(log)) {
				int incarnation = k;
				RunLog.read(log, (kind, number) -> ledger.record(incarnation, kind, number, restarts));
				Files.delete(log);
			}
		}
		Files.deleteIfExists(dir);
		List<Restart> restartsWithCounts = new ArrayList<>();
		RestartLedger.Tally toPeer = RestartLedger.Tally.NONE;
		RestartLedger.Tally fromPeer = RestartLedger.Tally.NONE;
		for (int k = 1; k <= done.size(); k++) {
			Restart r = done.get(k - 1);
			RestartLedger.Tally to = ledger.tally(k, false, killedAt, restarts);
			RestartLedger.Tally from = ledger.tally(k, true, killedAt, restarts);
			toPeer = toPeer.plus(to);
			fromPeer = fromPeer.plus(from);
			restartsWithCounts.add(new Restart(r.peerUpNanos, r.normalNanos, r.states, to, from));
			progress.printf("    restart %d: %s → %s: %s%n      %s → %s: %s%n", k, restarted.survivor(),
					restarted.label(), to.describe(), restarted.label(), restarted.survivor(), from.describe());
		}
		return new Result(restarted, restartsWithCounts, toPeer, fromPeer);
	}

	private static Children.Child startPeer(Restarted restarted, int port, int incarnation, Path dir, Profile profile)
			throws IOException {
		return Children.start("restart-peer", List.of("--role=" + restarted.label(), "--port=" + port,
				"--incarnation=" + incarnation, "--log=" + dir.resolve("peer-" + incarnation + ".log")), List.of(),
				profile);
	}

	private static int ready(Children.Child peer) throws InterruptedException {
		return Integer.parseInt(peer.awaitLine("READY ", PEER_START).substring(6).trim());
	}

	/** Waits until the surviving endpoint has the link and it is NORMAL. */
	private static void awaitLink(DualSocketEndpoint endpoint) {
		long deadline = System.nanoTime() + PEER_START.toNanos();
		while (endpoint.findLink(LINK_ID).map((link) -> link.getState() != LinkState.NORMAL).orElse(true)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the link " + LINK_ID + " did not come up");
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	/**
	 * When the surviving side's link next went NORMAL after the tape position; 0 if not within the timeout. The kill
	 * takes the link out of NORMAL first, so any change to NORMAL after the mark is its return.
	 */
	private static long awaitNormal(EventTape tape, String endpoint, int mark, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (EventTape.Timed timed : tape.since(mark)) {
				if (timed.isStateChange(endpoint, LinkState.NORMAL)) {
					return timed.nanos();
				}
			}
			LockSupport.parkNanos(1_000_000);
		}
		return 0;
	}

	/** The surviving link's states from the mark up to its first return to NORMAL, e.g. "RECOVERING → NORMAL". */
	private static String states(EventTape tape, String endpoint, int mark) {
		List<String> states = new ArrayList<>();
		for (EventTape.Timed timed : tape.since(mark)) {
			if (timed.event() instanceof LinkStateChangedEvent change && change.getEndpoint().equals(endpoint)) {
				states.add(change.getTo().name());
				if (change.getTo() == LinkState.NORMAL) {
					break;
				}
			}
		}
		return states.stream().collect(Collectors.joining(" → "));
	}

	// ------------------------------------------------------------------------------------------------------------
	// The child JVM: one incarnation of the restarted side
	// ------------------------------------------------------------------------------------------------------------

	/**
	 * One incarnation of the restarted side: an endpoint whose handler notes each request it runs before answering,
	 * and callers that note each request before sending it and its outcome after; runs until told to stop or killed.
	 */
	static void child(List<String> args) throws Exception {
		boolean server = ScaleScenario.stringArg(args, "role").equals("server");
		int port = ScaleScenario.intArg(args, "port");
		int incarnation = ScaleScenario.intArg(args, "incarnation");
		LinkSettings settings = LinkSettings.builder().build();
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults());
				RunLog log = new RunLog(Path.of(ScaleScenario.stringArg(args, "log")))) {
			DualSocketEndpoint endpoint = server
					? new ServerEndpoint(SecuredEndpoints.server(DualSocketBed.SERVER, "127.0.0.1", port, settings),
							transport, DualSocketEventListener.NONE)
					: new ClientEndpoint(
							SecuredEndpoints.client(DualSocketBed.CLIENT, "127.0.0.1", port, LINK_ID, settings),
							transport, DualSocketEventListener.NONE);
			endpoint.setRequestHandler((request) -> {
				log.append(RunLog.RAN, Payloads.number(request.payload()));
				return Payloads.answer(request.payload());
			});
			endpoint.start();
			if (server) {
				port = ((ServerEndpoint) endpoint).getLocalAddress().getPort();
			}
			else {
				DualSocketBed.awaitNormal(endpoint.link(LINK_ID), PEER_START);
			}
			System.out.println("READY " + port);
			System.out.flush();
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicLong sequence = new AtomicLong();
			Sink sink = new Sink() {

				@Override
				public void sent(long number) {
					log.append(RunLog.SENT, number);
				}

				@Override
				public void ended(long number, RequestOutcome outcome) {
					log.append(outcome.code(), number);
				}

			};
			List<Thread> callers = new ArrayList<>();
			for (int i = 0; i < callers(!server); i++) {
				callers.add(thread("bench-restart-peer-caller-" + i,
						() -> callLoop(() -> endpoint.findLink(LINK_ID).orElse(null),
								() -> RestartLedger.peerNumber(incarnation, sequence.incrementAndGet()),
								running::get, sink)));
			}
			ScaleScenario.awaitStop();
			running.set(false);
			for (Thread caller : callers) {
				caller.join(PATIENCE.toMillis() + 5_000);
			}
			endpoint.stop(Duration.ofSeconds(1));
		}
	}

}

package dev.dualsocket.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportSettings;

/**
 * Scenario 1 (round trip, one caller) and scenario 2 (pipelined throughput on one link).
 */
public final class ThroughputScenarios {

	static final String ROUND_TRIP = "1 Round trip, 1 caller";

	static final String PIPELINED = "2 Throughput, 1 link";

	static final String RAW_PING_PONG = "raw JDK sockets, ping-pong (the limit)";

	static final String NETTY_EPOLL = "bare Netty echo, epoll, caller thread";

	static final String NETTY_NIO = "bare Netty echo, NIO, caller thread";

	static final String NETTY_POOL_RT = "bare Netty echo, epoll, library's threading (caller writes, handler pool)";

	static final String OURS_RT = "dual-socket, request().get()";

	static final String OURS_RT_BLOCKING = "dual-socket, request().get(), handler that may block (handler pool)";

	static final String SI_GATEWAY_RT = "Spring Integration gateway, shared connection";

	static final String RAW_PIPELINED = "raw JDK, writer+reader thread, 1,024 in flight (the limit)";

	static final String RAW_16 = "raw JDK, 16 sync callers, writer+reader thread";

	static final String NETTY_PIPELINED = "bare Netty echo, 1,024 in flight, event-loop writes";

	static final String NETTY_CALLER = "bare Netty, 1,024 in flight, caller-thread writes";

	static final String NETTY_POOL = "bare Netty, 1,024 in flight, library's threading (caller writes, handler pool)";

	static final String NETTY_POOL_COALESCED = "bare Netty, 1,024 in flight, library's threading, writes coalesced";

	static final String NETTY_COALESCED = "bare Netty, 1,024 in flight, caller writes coalesced, no handler pool";

	static final String OURS_64 = "dual-socket, 64 in flight";

	static final String OURS_1024 = "dual-socket, 1,024 in flight";

	static final String OURS_1024_BLOCKING = "dual-socket, 1,024 in flight, handler that may block (handler pool)";

	static final String OURS_16 = "dual-socket, 16 sync callers";

	static final String SI_SHARED = "SI gateway, shared connection, %d caller%s";

	static final String SI_CACHING = "SI gateway, caching factory (16), %d caller%s";

	static final String SI_ADAPTERS = "SI adapters on two sockets, %d caller%s";

	private ThroughputScenarios() {
	}

	private static final int PAYLOAD = Profile.PAYLOAD;

	/** Scenario 1: one caller, request and answer, 64-byte payload. */
	public static List<Row> roundTrip(Duration warmup, Duration round, int rounds, String label, PrintStream progress)
			throws Exception {
		List<AutoCloseable> resources = new ArrayList<>();
		List<Contestant> contestants = new ArrayList<>();
		try {
			RawSockets.EchoServer raw = add(resources, new RawSockets.EchoServer());
			RawSockets.PingPong ping = add(resources, new RawSockets.PingPong(raw.port(), PAYLOAD));
			contestants.add(sync(RAW_PING_PONG, () -> ping));

			NettyEcho epoll = add(resources, new NettyEcho(true));
			NettyEcho.CallerClient epollClient = add(resources, epoll.callerClient(PAYLOAD));
			contestants.add(sync(epoll.isEpoll() ? NETTY_EPOLL : NETTY_EPOLL + " (no epoll: NIO)",
					() -> () -> epollClient.send().get()));
			NettyEcho nio = add(resources, new NettyEcho(false));
			NettyEcho.CallerClient nioClient = add(resources, nio.callerClient(PAYLOAD));
			contestants.add(sync(NETTY_NIO, () -> () -> nioClient.send().get()));
			NettyEcho pooled = add(resources, new NettyEcho(true, true, false));
			NettyEcho.CallerClient pooledClient = add(resources, pooled.callerClient(PAYLOAD));
			contestants.add(sync(NETTY_POOL_RT, () -> () -> pooledClient.send().get()));

			DualSocketBed ours = add(resources, new DualSocketBed(LinkSettings.builder().build(),
					DualSocketEventListener.NONE));
			DualSocketLink link = ours.clientLink;
			byte[] payload = new byte[PAYLOAD];
			contestants.add(sync(OURS_RT, () -> () -> link.request(payload).get()));
			DualSocketBed blocking = add(resources, new DualSocketBed(LinkSettings.builder().build(),
					TransportSettings.defaults(), DualSocketEventListener.NONE, (port) -> port, true));
			DualSocketLink blockingLink = blocking.clientLink;
			contestants.add(sync(OURS_RT_BLOCKING, () -> () -> blockingLink.request(payload).get()));

			SpringIntegrationBed spring = add(resources, new SpringIntegrationBed());
			Load.SyncCall gateway = spring.gateway(0, PAYLOAD);
			contestants.add(sync(SI_GATEWAY_RT, () -> gateway));

			Map<String, List<RoundResult>> results = Interleaved.run(contestants, warmup, round, rounds, progress);
			List<Row> rows = new ArrayList<>();
			double rawP50 = median(results, RAW_PING_PONG, (r) -> (double) r.p50());
			for (Map.Entry<String, List<RoundResult>> entry : results.entrySet()) {
				double p50 = Spread.of(entry.getValue(), (r) -> (double) r.p50()).median();
				String ratio = entry.getKey().equals(RAW_PING_PONG) ? "reference"
						: String.format("p50 %.2f× raw", p50 / rawP50);
				rows.add(Row.measured(ROUND_TRIP + label, entry.getKey(), entry.getValue(), ratio));
			}
			return rows;
		}
		finally {
			closeAll(resources);
		}
	}

	/** Scenario 2: pipelined throughput on one link or connection. */
	public static List<Row> pipelined(Duration warmup, Duration round, int rounds, PrintStream progress)
			throws Exception {
		List<AutoCloseable> resources = new ArrayList<>();
		List<Contestant> contestants = new ArrayList<>();
		try {
			RawSockets.EchoServer raw = add(resources, new RawSockets.EchoServer());
			contestants.add(Contestant.of(RAW_PIPELINED, (d) -> RawSockets.pipelined(raw.port(), PAYLOAD, 1024, d),
					() -> {
					}));
			RawSockets.Multiplexed mux = add(resources, new RawSockets.Multiplexed(raw.port(), PAYLOAD, 16));
			contestants.add(Contestant.of(RAW_16, (d) -> Load.syncCallers(16, mux::caller, d), () -> {
			}));

			NettyEcho netty = add(resources, new NettyEcho(true));
			contestants.add(Contestant.of(NETTY_PIPELINED, (d) -> netty.pipelined(PAYLOAD, 1024, d), () -> {
			}));
			NettyEcho.CallerClient nettyCaller = add(resources, netty.callerClient(PAYLOAD));
			contestants.add(Contestant.of(NETTY_CALLER, (d) -> Load.asyncWindow(1024, nettyCaller::send, d), () -> {
			}));
			NettyEcho pooled = add(resources, new NettyEcho(true, true, false));
			NettyEcho.CallerClient pooledCaller = add(resources, pooled.callerClient(PAYLOAD));
			contestants.add(Contestant.of(NETTY_POOL, (d) -> Load.asyncWindow(1024, pooledCaller::send, d), () -> {
			}));
			NettyEcho coalesced = add(resources, new NettyEcho(true, true, true));
			NettyEcho.CallerClient coalescedCaller = add(resources, coalesced.callerClient(PAYLOAD));
			contestants.add(Contestant.of(NETTY_POOL_COALESCED,
					(d) -> Load.asyncWindow(1024, coalescedCaller::send, d), () -> {
					}));
			NettyEcho coalescedInLoop = add(resources, new NettyEcho(true, false, true));
			NettyEcho.CallerClient coalescedInLoopCaller = add(resources, coalescedInLoop.callerClient(PAYLOAD));
			contestants.add(Contestant.of(NETTY_COALESCED,
					(d) -> Load.asyncWindow(1024, coalescedInLoopCaller::send, d), () -> {
					}));

			DualSocketBed ours = add(resources, new DualSocketBed(LinkSettings.builder().build(),
					DualSocketEventListener.NONE));
			DualSocketLink link = ours.clientLink;
			byte[] payload = new byte[PAYLOAD];
			contestants.add(Contestant.of(OURS_64, (d) -> Load.asyncWindow(64, () -> link.request(payload), d), () -> {
			}));
			contestants.add(Contestant.of(OURS_1024, (d) -> Load.asyncWindow(1024, () -> link.request(payload), d),
					() -> {
					}));
			DualSocketBed blocking = add(resources, new DualSocketBed(LinkSettings.builder().build(),
					TransportSettings.defaults(), DualSocketEventListener.NONE, (port) -> port, true));
			DualSocketLink blockingLink = blocking.clientLink;
			contestants.add(Contestant.of(OURS_1024_BLOCKING,
					(d) -> Load.asyncWindow(1024, () -> blockingLink.request(payload), d), () -> {
					}));
			contestants.add(Contestant.of(OURS_16,
					(d) -> Load.syncCallers(16, (i) -> () -> link.request(payload).get(), d), () -> {
					}));

			SpringIntegrationBed spring = add(resources, new SpringIntegrationBed());
			Load.SyncCall shared = spring.gateway(0, PAYLOAD);
			Load.SyncCall caching = spring.gateway(16, PAYLOAD);
			Load.SyncCall adapters = spring.collaboratingAdapters(PAYLOAD);
			for (int callers : new int[] { 1, 4, 16 }) {
				String plural = (callers == 1) ? "" : "s";
				contestants.add(Contestant.of(String.format(SI_SHARED, callers, plural),
						(d) -> Load.syncCallers(callers, (i) -> shared, d), () -> {
						}));
			}
			for (int callers : new int[] { 1, 4, 16 }) {
				String plural = (callers == 1) ? "" : "s";
				contestants.add(Contestant.of(String.format(SI_CACHING, callers, plural),
						(d) -> Load.syncCallers(callers, (i) -> caching, d), () -> {
						}));
			}
			for (int callers : new int[] { 1, 4, 16 }) {
				String plural = (callers == 1) ? "" : "s";
				contestants.add(Contestant.of(String.format(SI_ADAPTERS, callers, plural),
						(d) -> Load.syncCallers(callers, (i) -> adapters, d), () -> {
						}));
			}

			Map<String, List<RoundResult>> results = Interleaved.run(contestants, warmup, round, rounds, progress);
			List<Row> rows = new ArrayList<>();
			double limit = median(results, RAW_PIPELINED, RoundResult::perSecond);
			double raw16 = median(results, RAW_16, RoundResult::perSecond);
			double nettyBest = median(results, NETTY_PIPELINED, RoundResult::perSecond);
			for (Map.Entry<String, List<RoundResult>> entry : results.entrySet()) {
				String name = entry.getKey();
				double perSecond = Spread.of(entry.getValue(), RoundResult::perSecond).median();
				String ratio;
				if (name.equals(RAW_PIPELINED)) {
					ratio = "reference";
				}
				else if (name.equals(OURS_16)) {
					ratio = String.format("%.3f× limit; %.2f× raw 16 callers", perSecond / limit, perSecond / raw16);
				}
				else if (name.startsWith("dual-socket") || name.startsWith("bare Netty,")) {
					ratio = String.format("%.3f× limit; %.2f× Netty", perSecond / limit, perSecond / nettyBest);
				}
				else {
					ratio = String.format("%.3f× limit", perSecond / limit);
				}
				rows.add(Row.measured(PIPELINED, name, entry.getValue(), ratio));
			}
			return rows;
		}
		finally {
			closeAll(resources);
		}
	}

	private static double median(Map<String, List<RoundResult>> results, String name,
			java.util.function.ToDoubleFunction<RoundResult> figure) {
		List<RoundResult> rounds = results.get(name);
		return (rounds == null) ? Double.NaN : Spread.of(rounds, figure).median();
	}

	private static Contestant sync(String name, java.util.function.Supplier<Load.SyncCall> call) {
		Load.SyncCall c = call.get();
		return Contestant.of(name, (d) -> Load.syncCallers(1, (i) -> c, d), () -> {
		});
	}

	static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T resource) {
		resources.add(resource);
		return resource;
	}

	static void closeAll(List<AutoCloseable> resources) {
		for (int i = resources.size() - 1; i >= 0; i--) {
			try {
				resources.get(i).close();
			}
			catch (Exception ex) {
				// best effort
			}
		}
	}

}

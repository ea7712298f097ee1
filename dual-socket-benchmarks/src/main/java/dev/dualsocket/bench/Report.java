package dev.dualsocket.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The table, the targets and the Markdown page.
 */
public final class Report {

	private Report() {
	}

	public static String duration(double nanos) {
		if (Double.isNaN(nanos)) {
			return "–";
		}
		if (nanos < 100_000) {
			return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
		}
		if (nanos < 1_000_000) {
			return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
		}
		if (nanos < 10_000_000) {
			return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
		}
		if (nanos < 1_000_000_000) {
			return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
		}
		return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
	}

	private static String spread(Spread s) {
		if (s == null || s.rounds() <= 1) {
			return "";
		}
		return String.format(Locale.ROOT, " ±%.0f%%", 100 * s.relativeSpread());
	}

	static String rate(Spread s) {
		if (s == null) {
			return "";
		}
		return String.format(Locale.ROOT, "%,.0f", s.median()) + spread(s);
	}

	static String latency(Spread s) {
		if (s == null) {
			return "";
		}
		return duration(s.median()) + spread(s);
	}

	/** The results as one Markdown table; figures are medians over rounds, ± half their range. */
	public static String table(List<Row> rows) {
		StringBuilder out = new StringBuilder();
		out.append("| Scenario | Set-up | req/s | p50 | p99 | Other | Ratio |\n");
		out.append("|---|---|--:|--:|--:|---|---|\n");
		String section = null;
		for (Row row : rows) {
			String shown = row.section().equals(section) ? "" : row.section();
			section = row.section();
			out.append("| ")
				.append(shown)
				.append(" | ")
				.append(row.setup())
				.append(" | ")
				.append(rate(row.perSecond()))
				.append(" | ")
				.append(latency(row.p50()))
				.append(" | ")
				.append(latency(row.p99()))
				.append(" | ")
				.append(row.other())
				.append(" | ")
				.append(row.ratio())
				.append(" |\n");
		}
		return out.toString();
	}

	/**
	 * A target of the issue and whether this run met it.
	 *
	 * @param target what was asked
	 * @param measured what this run measured
	 * @param held true, false, or null when not measured
	 * @param scope what the verdict is limited to, e.g. "at 9,900 links", or {@code null}
	 */
	record Target(String target, String measured, Boolean held, String scope) {

		Target(String target, String measured, Boolean held) {
			this(target, measured, held, null);
		}

		String verdict() {
			String verdict = (this.held == null) ? "not measured" : this.held ? "held" : "**missed**";
			return (this.scope == null || this.held == null) ? verdict : verdict + " (" + this.scope + ")";
		}

	}

	/** The row of a set-up in exactly that section. */
	static Optional<Row> exact(List<Row> rows, String section, String setup) {
		return rows.stream().filter((r) -> r.section().equals(section) && r.setup().equals(setup)).findFirst();
	}

	/** A target that our row's p50 is at most {@code limit} times the reference row's. */
	private static Target ratioTarget(String name, Optional<Row> ours, Optional<Row> reference, double limit) {
		if (ours.isEmpty() || reference.isEmpty()) {
			return new Target(name, "", null);
		}
		double ratio = ours.get().p50().median() / reference.get().p50().median();
		return new Target(name, String.format(Locale.ROOT, "%s vs %s = %.2f×", latency(ours.get().p50()),
				latency(reference.get().p50()), ratio), ratio <= limit);
	}

	static Optional<Row> find(List<Row> rows, String section, Predicate<String> setup) {
		return rows.stream().filter((r) -> r.section().startsWith(section) && setup.test(r.setup())).findFirst();
	}

	static List<Target> evaluate(BenchmarkMain.Results results) {
		List<Row> rows = results.rows;
		List<Target> targets = new ArrayList<>();
		for (String label : new String[] { "", ", pinned (taskset -c 0)" }) {
			String section = ThroughputScenarios.ROUND_TRIP + label;
			String pinned = label.isEmpty() ? "" : " (pinned to one CPU)";
			Optional<Row> ours = exact(rows, section, ThroughputScenarios.OURS_RT);
			targets.add(ratioTarget("Round trip p50 ≤ 1.0 × bare Netty (epoll, caller thread)" + pinned, ours,
					exact(rows, section, ThroughputScenarios.NETTY_EPOLL), 1.0));
			targets.add(ratioTarget("Round trip p50 ≤ 1.3 × raw sockets (the goal beyond)" + pinned, ours,
					exact(rows, section, ThroughputScenarios.RAW_PING_PONG), 1.3));
		}
		Optional<Row> netty = find(rows, ThroughputScenarios.PIPELINED, ThroughputScenarios.NETTY_PIPELINED::equals);
		// Both are the default configuration; whether a handler may block is the application's to say.
		Optional<Row> best = rows.stream()
			.filter((r) -> r.section().equals(ThroughputScenarios.PIPELINED)
					&& (r.setup().equals(ThroughputScenarios.OURS_1024)
							|| r.setup().equals(ThroughputScenarios.OURS_1024_BLOCKING)))
			.max((a, b) -> Double.compare(a.perSecond().median(), b.perSecond().median()));
		Optional<Row> springBest = rows.stream()
			.filter((r) -> r.section().equals(ThroughputScenarios.PIPELINED) && r.setup().startsWith("SI "))
			.max((a, b) -> Double.compare(a.perSecond().median(), b.perSecond().median()));
		Optional<Row> ours16 = find(rows, ThroughputScenarios.PIPELINED, ThroughputScenarios.OURS_16::equals);
		Optional<Row> raw16 = find(rows, ThroughputScenarios.PIPELINED, ThroughputScenarios.RAW_16::equals);
		if (best.isPresent() && netty.isPresent()) {
			double ratio = best.get().perSecond().median() / netty.get().perSecond().median();
			targets.add(new Target("Pipelined on one link, 1,024 in flight ≥ 0.8 × bare Netty echo (event-loop writes)",
					String.format(Locale.ROOT, "%s (%s) vs %s = %.2f×", rate(best.get().perSecond()), best.get().setup(),
							rate(netty.get().perSecond()), ratio),
					ratio >= 0.8));
		}
		else {
			targets.add(new Target("Pipelined on one link, 1,024 in flight ≥ 0.8 × bare Netty echo (event-loop writes)", "",
					null));
		}
		if (best.isPresent() && springBest.isPresent()) {
			double ratio = best.get().perSecond().median() / springBest.get().perSecond().median();
			targets.add(new Target("Pipelined on one link ≥ 25 × Spring Integration's best set-up",
					String.format(Locale.ROOT, "%s vs %s (%s) = %.1f×", rate(best.get().perSecond()),
							rate(springBest.get().perSecond()), springBest.get().setup(), ratio),
					ratio >= 25));
		}
		else {
			targets.add(new Target("Pipelined on one link ≥ 25 × Spring Integration's best set-up", "", null));
		}
		if (ours16.isPresent() && raw16.isPresent()) {
			double ratio = ours16.get().perSecond().median() / raw16.get().perSecond().median();
			targets.add(new Target("16 synchronous callers ≥ 1 × raw sockets with 16 callers",
					String.format(Locale.ROOT, "%s vs %s = %.2f×", rate(ours16.get().perSecond()),
							rate(raw16.get().perSecond()), ratio),
					ratio >= 1.0));
		}
		else {
			targets.add(new Target("16 synchronous callers ≥ 1 × raw sockets with 16 callers", "", null));
		}
		Microbenchmarks.Measured micro = results.microbenchmarks;
		String allocation = "≤ 100 B allocated per request, pipelined (JMH -prof gc, client and server together)";
		if (micro != null && !Double.isNaN(micro.pipelinedBytes())) {
			targets.add(new Target(allocation, String.format(Locale.ROOT, "%.0f B per request (%s)",
					micro.pipelinedBytes(), Microbenchmarks.PIPELINED), micro.pipelinedBytes() <= 100));
		}
		else {
			targets.add(new Target(allocation, "", null));
		}
		RecoveryScenario.Result recovery = results.recovery;
		if (recovery != null && recovery.available() == null && !recovery.recoveryNanos().isEmpty()) {
			Histogram all = recovery.recoveries();
			targets.add(new Target("Recovery p99 ≤ 5 ms after a single-socket kill under load",
					String.format(Locale.ROOT, "p99 %s (p50 %s, max %s) over %d kills, %d unrecovered",
							duration(all.percentile(0.99)), duration(all.percentile(0.5)), duration(all.max()),
							recovery.killed().size(), recovery.unrecovered()),
					all.percentile(0.99) <= 5e6 && recovery.unrecovered() == 0));
			targets.add(new Target("0 requests lost, 0 run twice (kills)", String.format(Locale.ROOT,
					"lost %d, run twice %d, wrong answers %d of %,d", recovery.lost(), recovery.twice(),
					recovery.wrong(), recovery.requests()),
					recovery.lost() == 0 && recovery.twice() == 0 && recovery.wrong() == 0));
		}
		else {
			targets.add(new Target("Recovery p99 ≤ 5 ms after a single-socket kill under load",
					(recovery != null && recovery.available() != null) ? recovery.available() : "", null));
		}
		if (recovery != null && !recovery.detectionNanos().isEmpty()) {
			long max = recovery.detectionNanos().stream().mapToLong(Long::longValue).max().orElse(0);
			double ratio = max / (double) recovery.heartbeatTimeout().toNanos();
			targets.add(new Target("Black-hole detection ≤ heartbeat timeout + 10 %", String.format(Locale.ROOT,
					"max %s with a %d ms timeout = %.2f×; lost %d, run twice %d", duration(max),
					recovery.heartbeatTimeout().toMillis(), ratio, recovery.blackHoleLost(), recovery.blackHoleTwice()),
					ratio <= 1.1 && recovery.blackHoleLost() == 0 && recovery.blackHoleTwice() == 0));
		}
		if (recovery != null) {
			for (PeerRestarts.Result restart : recovery.restarts()) {
				RestartLedger.Tally all = restart.toPeer().plus(restart.fromPeer());
				targets.add(new Target("0 lost, 0 run twice, 0 wrong answers (" + restart.restarted().label() + " restarts)",
						String.format(Locale.ROOT,
								"lost %d, run twice %d, wrong answers %d of %,d; %,d failed clearly; %d of %d restarts"
										+ " back to NORMAL within 60 s",
								all.lost(), all.twice(), all.wrong(), all.requests(), all.failedClearly(),
								restart.restarts().size() - restart.unrecovered(), restart.restarts().size()),
						restart.clean()));
			}
		}
		ScaleScenario.Result scale = results.scale;
		Profile profile = results.profile;
		if (scale != null) {
			ScaleScenario.Side large = scale.find(profile.scaleLarge(), "server");
			ScaleScenario.Side small = scale.find(profile.scaleSmall(), "server");
			ScaleScenario.Side largeClient = scale.find(profile.scaleLarge(), "client");
			ScaleScenario.Side smallClient = scale.find(profile.scaleSmall(), "client");
			String links = String.format("%,d links", profile.scaleLarge());
			if (large == null || largeClient == null) {
				String why = scale.failures().getOrDefault(profile.scaleLarge(), "");
				targets.add(new Target(links + ": ≤ 256 MB heap after GC (server)", why, null));
				targets.add(new Target(links + ": library threads ≤ 32 (server)", why, null));
				targets.add(new Target(links + ": p99 ≤ 2 × the " + profile.scaleSmall() + "-link figure", why, null));
			}
			else {
				targets.add(new Target(links + ": ≤ 256 MB heap after GC (server)",
						String.format(Locale.ROOT, "server %.0f MB (client JVM with %,d endpoints: %.0f MB)",
								large.number("heapMb"), profile.scaleLarge(), largeClient.number("heapMb")),
						large.number("heapMb") <= 256));
				targets.add(new Target(links + ": library threads ≤ 32 (server)", String.format(Locale.ROOT,
						"server %d (the client JVM, %,d client endpoints: %d)", (int) large.number("libraryThreads"),
						profile.scaleLarge(), (int) largeClient.number("libraryThreads")),
						large.number("libraryThreads") <= 32));
				double serverRatio = large.spread("p99").median() / small.spread("p99").median();
				double clientRatio = largeClient.spread("p99").median() / smallClient.spread("p99").median();
				targets.add(new Target(links + ": p99 ≤ 2 × the " + profile.scaleSmall() + "-link figure",
						String.format(Locale.ROOT, "server→client %s vs %s = %.2f×; client→server %s vs %s = %.2f×",
								latency(large.spread("p99")), latency(small.spread("p99")), serverRatio,
								latency(largeClient.spread("p99")), latency(smallClient.spread("p99")), clientRatio),
						serverRatio <= 2 && clientRatio <= 2));
			}
			targets.add(hugeScale(scale, profile));
		}
		RecoveryStorm.Result storm = results.storm;
		if (storm != null) {
			String name = String.format(Locale.ROOT, "Recovery storm (%,d links, every socket killed): last link NORMAL "
					+ "≤ 3 s, library threads ≤ 32, 0 lost, 0 run twice", storm.links());
			if (storm.available() != null || storm.storms().isEmpty()) {
				targets.add(new Target(name, (storm.available() != null) ? storm.available() : "", null));
			}
			else {
				Spread lastNormal = storm.lastNormal();
				targets.add(new Target(name,
						String.format(Locale.ROOT, "last NORMAL %s (max %s over %d storms, %d unrecovered); peak %d "
								+ "library threads; lost %d, run twice %d, wrong answers %d; %,d failed clearly",
								latency(lastNormal), duration(lastNormal.max()), storm.storms().size(), storm.unrecovered(),
								storm.stormPeakThreads(), storm.lost(), storm.twice(), storm.wrong(), storm.failedClearly()),
						storm.clean() && lastNormal.max() <= 3e9 && storm.stormPeakThreads() <= 32));
			}
		}
		TakeoverScenario.Result takeover = results.takeover;
		if (takeover != null) {
			String name = "Takeover after kill -9 of the leader ≤ lock TTL + 2 s (p99)";
			if (takeover.available() != null || takeover.takeovers().isEmpty()) {
				targets.add(new Target(name, (takeover.available() != null) ? takeover.available() : "", null));
			}
			else {
				double p99 = takeover.percentile(0.99);
				targets.add(new Target(name, String.format(Locale.ROOT,
						"p50 %s, p99 %s over %d kills (TTL %d ms); %,d requests, %,d in doubt, %,d failed",
						duration(takeover.percentile(0.5)), duration(p99), takeover.takeovers().size(),
						TakeoverScenario.LOCK_TTL.toMillis(), takeover.requests(), takeover.inDoubt(), takeover.failed()),
						p99 <= TakeoverScenario.LOCK_TTL.plusSeconds(2).toNanos()));
			}
		}
		return targets;
	}

	/**
	 * The 10,000-link target in one line: the server's heap after GC and library threads, and p99 both ways against
	 * the smallest number of links. Measured at fewer links when the server's open-file limit holds no more, which the
	 * line and its verdict say.
	 */
	static Target hugeScale(ScaleScenario.Result scale, Profile profile) {
		String name = String.format(Locale.ROOT, "%,d links: heap after GC ≤ 256 MB, library threads ≤ 32 (server), "
				+ "p99 ≤ 2 × the %d-link figure", profile.scaleHuge(), profile.scaleSmall());
		ScaleScenario.Side server = scale.find(profile.scaleHuge(), "server");
		ScaleScenario.Side client = scale.find(profile.scaleHuge(), "client");
		ScaleScenario.Side smallServer = scale.find(profile.scaleSmall(), "server");
		ScaleScenario.Side smallClient = scale.find(profile.scaleSmall(), "client");
		if (server == null || client == null || smallServer == null || smallClient == null) {
			return new Target(name, scale.failures().getOrDefault(profile.scaleHuge(), ""), null);
		}
		double heap = server.number("heapMb");
		int threads = (int) server.number("libraryThreads");
		double serverRatio = server.spread("p99").median() / smallServer.spread("p99").median();
		double clientRatio = client.spread("p99").median() / smallClient.spread("p99").median();
		List<String> missed = new ArrayList<>();
		int fit = (int) server.number("fit", profile.scaleHuge());
		if (server.measuredLinks() < fit || client.measuredLinks() < fit) {
			missed.add(String.format(Locale.ROOT, "only %,d (server) and %,d (clients) of %,d links up in time",
					server.measuredLinks(), client.measuredLinks(), fit));
		}
		if (heap > 256) {
			missed.add("heap");
		}
		if (threads > 32) {
			missed.add("threads");
		}
		if (server.spread("perSecond").median() == 0 || client.spread("perSecond").median() == 0) {
			missed.add("no request answered within its measuring window");
		}
		else if (serverRatio > 2 || clientRatio > 2) {
			missed.add("p99");
		}
		String measured = String.format(Locale.ROOT,
				"server %.0f MB, %d library threads; p99 server→client %s vs %s = %.2f×, client→server %s vs %s = %.2f×"
						+ " (%d client JVMs: %.0f MB in all, at most %d library threads in one)",
				heap, threads, latency(server.spread("p99")), latency(smallServer.spread("p99")), serverRatio,
				latency(client.spread("p99")), latency(smallClient.spread("p99")), clientRatio, client.clientJvms(),
				client.number("heapMb"), (int) client.number("libraryThreads"));
		if (!missed.isEmpty()) {
			measured += "; missed: " + String.join(", ", missed);
		}
		String scope = null;
		if (fit < profile.scaleHuge()) {
			scope = String.format(Locale.ROOT, "at %,d links", fit);
			measured = String.format(Locale.ROOT, "at %,d links, all the server's open-file limit (%,d) holds: ", fit,
					(long) server.number("openFileLimit", 0)) + measured;
		}
		return new Target(name, measured, missed.isEmpty(), scope);
	}

	public static String targets(BenchmarkMain.Results results) {
		StringBuilder out = new StringBuilder();
		out.append("| Target | This run | Verdict |\n|---|---|---|\n");
		for (Target target : evaluate(results)) {
			out.append("| ")
				.append(target.target())
				.append(" | ")
				.append(target.measured())
				.append(" | ")
				.append(target.verdict())
				.append(" |\n");
		}
		return out.toString();
	}

	public static String markdown(BenchmarkMain.Results results, String command, String table, String targets)
			throws IOException {
		BenchmarkMain.Environment env = results.environment;
		StringBuilder out = new StringBuilder();
		out.append("# Benchmarks\n\n");
		out.append("Written by the benchmark module (`dual-socket-benchmarks/`) at the end of a ")
			.append(results.profile.name())
			.append(" run; run the command again to refresh it rather than editing it by hand.\n\n");
		out.append("- **Command** (from the root of the checkout): `").append(command).append("`\n");
		out.append("- **Date**: ").append(env.date()).append("\n");
		out.append("- **JDK**: ").append(env.jdk()).append("\n");
		out.append("- **CPUs**: ")
			.append(env.cpus())
			.append(" (")
			.append(env.cpuModel())
			.append("), ")
			.append(env.os())
			.append("\n");
		out.append("- **JVM flags**: ").append(env.jvmFlags().isBlank() ? "none" : "`" + env.jvmFlags() + "`").append("\n");
		out.append("- **Run**: ")
			.append(results.profile.name())
			.append(", ")
			.append(results.elapsed.toSeconds())
			.append(" s, everything on 127.0.0.1, ")
			.append(Profile.PAYLOAD)
			.append("-byte payloads\n\n");
		out.append("## Results\n\n");
		out.append("Throughput and latency figures are the **median of the measured rounds ± half their range** "
				+ "(rounds of one scenario take turns, so noise hits all set-ups alike). Recovery figures are "
				+ "percentiles over all kills. Ratios are against the reference row of the same scenario, from this "
				+ "same run.\n\n");
		out.append(table).append("\n");
		out.append("## Targets\n\n").append(targets).append("\n");
		if (results.plot != null) {
			out.append("## Recovery timeline\n\n");
			out.append("![Request latency across socket kills, with the links' state changes](")
				.append(results.plot.getFileName())
				.append(")\n\n");
		}
		try (InputStream notes = Report.class.getResourceAsStream("/benchmarks-notes.md")) {
			if (notes != null) {
				out.append(new String(notes.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		return out.toString();
	}

}

package dev.dualsocket.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the set-ups of one scenario in turns: each warms up once, then every measured round runs each set-up once, in
 * the same order, so the machine's noisy moments spread over all of them. {@code -Dbench.filter=TEXT} runs only the
 * set-ups whose name contains TEXT (for profiling one of them).
 */
public final class Interleaved {

	private Interleaved() {
	}

	public static Map<String, List<RoundResult>> run(List<Contestant> contestants, Duration warmup, Duration round,
			int rounds, PrintStream progress) throws Exception {
		String filter = System.getProperty("bench.filter");
		if (filter != null) {
			contestants = contestants.stream().filter((c) -> c.name().contains(filter)).toList();
		}
		Map<String, List<RoundResult>> results = new LinkedHashMap<>();
		for (Contestant contestant : contestants) {
			results.put(contestant.name(), new ArrayList<>());
			System.gc();
			RoundResult warm = contestant.round(warmup);
			progress.printf("  warm-up  %-58s %,10.0f req/s%n", contestant.name(), warm.perSecond());
		}
		for (int r = 1; r <= rounds; r++) {
			for (Contestant contestant : contestants) {
				System.gc();
				RoundResult result = contestant.round(round);
				results.get(contestant.name()).add(result);
				progress.printf("  round %d  %-58s %,10.0f req/s  p50 %9.1f µs  p99 %9.1f µs  %5.1f µs CPU/req  %4.1f cs/req%s%n",
						r, contestant.name(), result.perSecond(), result.p50() / 1e3, result.p99() / 1e3,
						result.cpuMicrosPerRequest(), result.switchesPerRequest(),
						(result.errors() > 0) ? "  errors " + result.errors() : "");
			}
		}
		return results;
	}

}

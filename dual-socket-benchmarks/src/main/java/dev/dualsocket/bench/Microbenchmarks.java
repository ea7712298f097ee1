package dev.dualsocket.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Scenario 8: the JMH microbenchmarks of {@link LinkBenchmarks} (one caller's round trip, 1,024 requests pipelined),
 * in a JVM of JMH's own, with JMH's GC profiler for the bytes allocated per request: both ends of the link are in that
 * JVM, so the figure is what one request costs the client and the server together.
 */
final class Microbenchmarks {

	static final String SECTION = "8 Microbenchmarks (JMH, both ends in one JVM)";

	static final String PIPELINED = "LinkBenchmarks.pipelined, 1,024 in flight";

	static final String ROUND_TRIP = "LinkBenchmarks.roundTrip, 1 caller";

	/** The figure JMH's GC profiler gives for bytes allocated per operation. */
	static final String ALLOCATED = "gc.alloc.rate.norm";

	private Microbenchmarks() {
	}

	/**
	 * The measured rows, with the bytes per request in their "other" column.
	 * @param quick fewer and shorter iterations
	 * @param log where JMH's own output goes
	 */
	static Measured run(boolean quick, Path log, PrintStream out) throws RunnerException {
		Options options = new OptionsBuilder().include(LinkBenchmarks.class.getName() + "\\.(pipelined|roundTrip)$")
			.addProfiler(GCProfiler.class)
			.forks(1)
			.warmupIterations(quick ? 1 : 3)
			.warmupTime(TimeValue.seconds(quick ? 1 : 2))
			.measurementIterations(quick ? 2 : 5)
			.measurementTime(TimeValue.seconds(quick ? 1 : 2))
			.output(log.toString())
			.build();
		Collection<RunResult> runs = new Runner(options).run();
		List<Row> rows = new ArrayList<>();
		double pipelinedBytes = Double.NaN;
		for (RunResult run : runs) {
			String benchmark = run.getParams().getBenchmark();
			Result<?> primary = run.getPrimaryResult();
			Result<?> allocated = run.getSecondaryResults().get(ALLOCATED);
			double bytes = (allocated != null) ? allocated.getScore() : Double.NaN;
			String other = String.format(Locale.ROOT, "%.0f B allocated per request (%s)", bytes, ALLOCATED);
			Statistics statistics = primary.getStatistics();
			if (benchmark.endsWith(".pipelined")) {
				pipelinedBytes = bytes;
				rows.add(new Row(SECTION, PIPELINED, new Spread(statistics.getPercentile(50), statistics.getMin(),
						statistics.getMax(), (int) statistics.getN()), null, null, other, ""));
			}
			else {
				// Sample time in microseconds per request; the table wants nanoseconds.
				rows.add(new Row(SECTION, ROUND_TRIP, Spread.of(1e6 / statistics.getMean()),
						Spread.of(statistics.getPercentile(50) * 1000), Spread.of(statistics.getPercentile(99) * 1000),
						other, ""));
			}
			out.println("  " + benchmark + ": " + primary + "; " + other);
		}
		return new Measured(rows, pipelinedBytes);
	}

	/**
	 * @param rows the rows for the table
	 * @param pipelinedBytes bytes allocated per request in the pipelined benchmark, NaN if not measured
	 */
	record Measured(List<Row> rows, double pipelinedBytes) {
	}

}

package dev.dualsocket.bench;

import java.util.List;

/**
 * One line of the results table.
 *
 * @param section the scenario, e.g. "1 Round trip"
 * @param setup what was measured
 * @param perSecond requests per second (median and range over rounds), or {@code null}
 * @param p50 median latency in nanoseconds (median and range over rounds), or {@code null}
 * @param p99 99th percentile latency in nanoseconds, or {@code null}
 * @param other anything else worth a column
 * @param ratio the row against its reference
 */
public record Row(String section, String setup, Spread perSecond, Spread p50, Spread p99, String other, String ratio) {

	public static Row measured(String section, String setup, List<RoundResult> rounds, String ratio) {
		long errors = rounds.stream().mapToLong(RoundResult::errors).sum();
		double cpu = Spread.of(rounds, RoundResult::cpuMicrosPerRequest).median();
		double switches = Spread.of(rounds, RoundResult::switchesPerRequest).median();
		String other = Double.isNaN(cpu) ? "" : String.format(java.util.Locale.ROOT, "%.1f µs CPU, %.1f switches /req", cpu, switches);
		if (errors > 0) {
			other += (other.isEmpty() ? "" : "; ") + errors + " failed";
		}
		return new Row(section, setup, Spread.of(rounds, RoundResult::perSecond),
				Spread.of(rounds, (r) -> (double) r.p50()), Spread.of(rounds, (r) -> (double) r.p99()), other, ratio);
	}

	public Row withRatio(String newRatio) {
		return new Row(this.section, this.setup, this.perSecond, this.p50, this.p99, this.other, newRatio);
	}

	public Row withSetup(String newSetup) {
		return new Row(this.section, newSetup, this.perSecond, this.p50, this.p99, this.other, this.ratio);
	}

	/** Serialises the row for a parent JVM (one line). */
	public String encode() {
		return String.join("\t", this.section, this.setup, enc(this.perSecond), enc(this.p50), enc(this.p99),
				this.other, this.ratio);
	}

	public static Row decode(String line) {
		String[] f = line.split("\t", -1);
		return new Row(f[0], f[1], dec(f[2]), dec(f[3]), dec(f[4]), f[5], f[6]);
	}

	private static String enc(Spread s) {
		return (s == null) ? "" : s.median() + "," + s.min() + "," + s.max() + "," + s.rounds();
	}

	private static Spread dec(String s) {
		if (s.isEmpty()) {
			return null;
		}
		String[] p = s.split(",");
		return new Spread(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
				Integer.parseInt(p[3]));
	}

}

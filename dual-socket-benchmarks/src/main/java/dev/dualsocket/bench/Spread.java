package dev.dualsocket.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The median and range of one figure over the measured rounds.
 *
 * @param median the median
 * @param min the lowest round
 * @param max the highest round
 * @param rounds how many rounds
 */
public record Spread(double median, double min, double max, int rounds) {

	public static <T> Spread of(List<T> rounds, ToDoubleFunction<T> figure) {
		double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
		return of(values);
	}

	public static Spread of(double... values) {
		if (values.length == 0) {
			return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		return new Spread(median, sorted[0], sorted[n - 1], n);
	}

	/** Half the range as a share of the median, e.g. 0.03 for "±3 %". */
	public double relativeSpread() {
		return (this.median == 0 || Double.isNaN(this.median)) ? 0 : (this.max - this.min) / 2 / this.median;
	}

}

package dev.dualsocket.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's own arithmetic and plumbing, in well under a second. No benchmark runs here: the benchmark is run
 * by hand (see docs/BENCHMARKS.md).
 */
class HarnessTests {

	@Test
	void histogramReportsEveryValueWithinOnePercent() {
		for (long value : new long[] { 0, 1, 127, 128, 129, 1_000, 65_432, 1_000_000, 123_456_789, 60_000_000_000L }) {
			long reported = Histogram.valueOf(Histogram.index(value));
			assertTrue(Math.abs(reported - value) <= Math.max(1, value / 100), value + " reported as " + reported);
		}
	}

	@Test
	void histogramPercentiles() {
		Histogram histogram = new Histogram();
		for (int micros = 1; micros <= 10_000; micros++) {
			histogram.record(micros * 1_000L);
		}
		assertEquals(10_000, histogram.count());
		assertEquals(5_000_000, histogram.percentile(0.5), 50_000);
		assertEquals(9_900_000, histogram.percentile(0.99), 99_000);
		assertEquals(10_000_000, histogram.max());
		Histogram other = new Histogram();
		other.record(20_000_000);
		histogram.add(other);
		assertEquals(20_000_000, histogram.percentile(1.0));
	}

	@Test
	void spreadIsTheMedianAndHalfTheRange() {
		Spread odd = Spread.of(3, 1, 2);
		assertEquals(2, odd.median());
		assertEquals(0.5, odd.relativeSpread(), 1e-9);
		assertEquals(2.5, Spread.of(4, 1, 2, 3).median());
	}

	@Test
	void rowsTravelBetweenJvms() {
		Row row = new Row("1 Round trip", "raw", Spread.of(1, 2, 3), Spread.of(10, 20, 30), null, "x", "1.00×");
		assertEquals(row, Row.decode(row.encode()));
	}

	@Test
	void framesFollowTheProtocol() {
		byte[] frame = new byte[WireFrames.encodedLength(4)];
		WireFrames.writeHeader(frame, 0, WireFrames.REQUEST, 42, 4);
		assertEquals(14, WireFrames.getInt(frame, 0));
		assertEquals(0x10, frame[4]);
		assertEquals(42, WireFrames.getLong(frame, 6));
	}

	@Test
	void durationsAreShortAndReadable() {
		assertEquals("76.0 µs", Report.duration(76_000));
		assertEquals("2.50 ms", Report.duration(2_500_000));
		assertEquals("1.20 s", Report.duration(1_200_000_000));
	}

	@Test
	void rawSocketsEchoFrames() throws Exception {
		try (RawSockets.EchoServer server = new RawSockets.EchoServer();
				RawSockets.PingPong ping = new RawSockets.PingPong(server.port(), 64)) {
			RoundResult result = Load.syncCallers(1, (i) -> ping, Duration.ofMillis(50));
			assertTrue(result.requests() > 0);
			assertEquals(0, result.errors());
			RoundResult pipelined = RawSockets.pipelined(server.port(), 64, 64, Duration.ofMillis(50));
			assertTrue(pipelined.requests() > 0);
			assertEquals(0, pipelined.errors());
		}
	}

	@Test
	void tableHasOneLinePerRow() {
		List<Row> rows = List.of(new Row("s", "a", Spread.of(1000), Spread.of(76_000), Spread.of(100_000), "", "ref"),
				new Row("s", "b", null, null, null, "other", ""));
		String table = Report.table(rows);
		assertEquals(4, table.lines().count());
		assertTrue(table.contains("| s | a | 1,000 | 76.0 µs | 100 µs |  | ref |"), table);
	}

}

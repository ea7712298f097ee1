package dev.dualsocket.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's own arithmetic and plumbing, in well under a second. No benchmark runs here: the benchmark is run
 * by hand (see docs/BENCHMARKS.md).
 */
class HarnessTests {

	@Test
	void histogramReportsEveryValueWithinATenthOfAPercent() {
		for (long value : new long[] { 0, 1, 127, 128, 129, 1_000, 65_432, 1_000_000, 123_456_789, 60_000_000_000L }) {
			long reported = Histogram.reported(value);
			assertTrue(Math.abs(reported - value) <= Math.max(1, value / 1000), value + " reported as " + reported);
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
	void histogramsTravelBetweenJvms() {
		Histogram histogram = new Histogram();
		for (int micros = 1; micros <= 1_000; micros++) {
			histogram.record(micros * 1_000L);
		}
		Histogram back = Histogram.decode(histogram.encode());
		assertEquals(histogram.count(), back.count());
		assertEquals(histogram.percentile(0.99), back.percentile(0.99));
		assertEquals(1_000_000, back.max());
		assertFalse(histogram.encode().contains(",") || histogram.encode().contains(" "));
	}

	@Test
	void clientJvmsAddUpAndTheirLatenciesMerge() {
		Histogram fast = new Histogram();
		Histogram slow = new Histogram();
		for (int i = 0; i < 100; i++) {
			fast.record(1_000_000);
			slow.record(9_000_000);
		}
		java.util.Map<String, String> one = ScaleScenario.parse("@@scale links=10 heapMb=20.0 threads=30 libraryThreads=20 "
				+ "peakThreads=31 errors=1 perSecond=10.0 p50=1000000.0 p99=1000000.0 cpuPercent=5.0 hist=" + fast.encode());
		java.util.Map<String, String> two = ScaleScenario.parse("@@scale links=20 heapMb=30.0 threads=32 libraryThreads=22 "
				+ "peakThreads=33 errors=2 perSecond=20.0 p50=9000000.0 p99=9000000.0 cpuPercent=7.0 hist=" + slow.encode());
		java.util.Map<String, String> all = ScaleScenario.combine(List.of(one, two));
		assertEquals("30", all.get("links"));
		assertEquals("2", all.get("jvms"));
		assertEquals(50.0, Double.parseDouble(all.get("heapMb")));
		assertEquals(30.0, Double.parseDouble(all.get("heapMbMax")));
		assertEquals("22", all.get("libraryThreads"));
		assertEquals("3", all.get("errors"));
		assertEquals(30.0, Double.parseDouble(all.get("perSecond")));
		assertEquals(12.0, Double.parseDouble(all.get("cpuPercent")));
		assertEquals(9_000_000, Double.parseDouble(all.get("p99")), 9_000);
	}

	@Test
	void theTenThousandLinkTargetHoldsOnlyWhenAllThreePartsDo() {
		Profile profile = Profile.quick();
		java.util.function.BiFunction<Integer, String, ScaleScenario.Side> side = (links, values) -> new ScaleScenario.Side(
				links, values.startsWith("s") ? "server" : "client", ScaleScenario.parse("@@scale " + values.substring(2)));
		String small = "links=100 heapMb=12.0 threads=20 libraryThreads=12 peakThreads=20 errors=0 perSecond=100 "
				+ "p50=200000 p99=2000000 cpuPercent=5";
		String huge = "links=10000 heapMb=%s threads=40 libraryThreads=%d peakThreads=40 errors=0 perSecond=10000 "
				+ "p50=300000 p99=%d cpuPercent=50";
		ScaleScenario.Result held = new ScaleScenario.Result(List.of(side.apply(100, "s " + small),
				side.apply(100, "c " + small), side.apply(10_000, "s " + String.format(huge, "180.0", 24, 3_000_000)),
				side.apply(10_000, "c " + String.format(huge, "400.0", 32, 3_900_000) + " jvms=4")), java.util.Map.of());
		Report.Target target = Report.hugeScale(held, profile);
		assertEquals("held", target.verdict(), target.measured());
		assertTrue(target.target().startsWith("10,000 links: heap after GC ≤ 256 MB, library threads ≤ 32 (server), "
				+ "p99 ≤ 2 × the 100-link figure"), target.target());
		ScaleScenario.Result slow = new ScaleScenario.Result(List.of(side.apply(100, "s " + small),
				side.apply(100, "c " + small), side.apply(10_000, "s " + String.format(huge, "300.0", 24, 5_000_000)),
				side.apply(10_000, "c " + String.format(huge, "400.0", 32, 3_000_000) + " jvms=4")), java.util.Map.of());
		Report.Target missed = Report.hugeScale(slow, profile);
		assertEquals("**missed**", missed.verdict());
		assertTrue(missed.measured().endsWith("missed: heap, p99"), missed.measured());
		Report.Target none = Report.hugeScale(new ScaleScenario.Result(List.of(side.apply(100, "s " + small),
				side.apply(100, "c " + small)), java.util.Map.of(10_000, "no room")), profile);
		assertEquals("not measured", none.verdict());
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

	@Test
	void answersTellTheirOwnRequestFromAnyOther() {
		byte[] seven = Payloads.numbered(7);
		assertEquals(Profile.PAYLOAD, seven.length);
		assertEquals(7, Payloads.number(seven));
		assertTrue(Payloads.isAnswerTo(Payloads.answer(seven), seven));
		assertFalse(Payloads.isAnswerTo(seven, seven), "the request sent back unchanged is no answer");
		assertFalse(Payloads.isAnswerTo(Payloads.answer(Payloads.numbered(8)), seven));
		assertFalse(Payloads.isAnswerTo(null, seven));
	}

	@Test
	void aClearFailureIsNotALossButSilenceAndAnswersWithoutARunAre() {
		RecoveryScenario.ExecutionLog ran = new RecoveryScenario.ExecutionLog(128);
		RecoveryScenario.ExecutionLog answered = new RecoveryScenario.ExecutionLog(128);
		RecoveryScenario.ExecutionLog failed = new RecoveryScenario.ExecutionLog(128);
		RecoveryScenario.ExecutionLog wrong = new RecoveryScenario.ExecutionLog(128);
		ran.ran(1);
		answered.ran(1); // 1: ran and answered
		failed.ran(2); // 2: failed clearly, never ran
		answered.ran(3); // 3: answered without having run: lost
		ran.ran(4); // 4: ran, never answered nor failed: lost
		wrong.ran(5); // 5: a wrong answer, counted as such
		assertEquals(2, RecoveryScenario.ExecutionLog.countLost(ran, answered, failed, wrong, 5));
		assertEquals(1, failed.count(5));
	}

	@Test
	void runLogRecordsReadBackInOrder(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("peer-0.log");
		try (RunLog log = new RunLog(file)) {
			log.append(RunLog.RAN, 42);
			log.append(RunLog.SENT, RestartLedger.peerNumber(0, 1));
			log.append(RequestOutcome.ANSWERED.code(), RestartLedger.peerNumber(0, 1));
		}
		Files.write(file, new byte[] { 'R', 0, 0 }, java.nio.file.StandardOpenOption.APPEND); // a torn record
		List<String> records = new ArrayList<>();
		RunLog.read(file, (kind, number) -> records.add((char) kind + ":" + number));
		assertEquals(List.of("R:42", "S:" + (1L << 32 | 1), "a:" + (1L << 32 | 1)), records);
		assertEquals(RequestOutcome.ANSWERED, RequestOutcome.ofCode(RequestOutcome.ANSWERED.code()));
	}

	@Test
	void restartLedgerAccountsForEveryRequestAcrossIncarnations() {
		RestartLedger ledger = new RestartLedger();
		long[] killedAt = { 0, 1_000, 2_000 };
		// This JVM's requests, all under restart 1 (sent to incarnation 0, which was killed at t = 1000).
		sent(ledger, 1, 1, 500, RequestOutcome.ANSWERED);
		ledger.record(0, RunLog.RAN, 1, 2);
		sent(ledger, 2, 1, 600, RequestOutcome.FAILED_CLEARLY); // in flight at the kill
		ledger.record(0, RunLog.RAN, 2, 2);
		sent(ledger, 3, 1, 1_500, RequestOutcome.FAILED_CLEARLY); // sent while the peer was down
		sent(ledger, 4, 1, 700, RequestOutcome.ANSWERED); // answered, never ran: lost
		sent(ledger, 5, 1, 800, RequestOutcome.ANSWERED); // ran in both incarnations: twice, and crossed
		ledger.record(0, RunLog.RAN, 5, 2);
		ledger.record(1, RunLog.RAN, 5, 2);
		sent(ledger, 6, 1, 900, RequestOutcome.WRONG_ANSWER);
		ledger.record(0, RunLog.RAN, 6, 2);
		RestartLedger.Tally mine = ledger.tally(1, false, killedAt, 2);
		assertEquals(new RestartLedger.Tally(6, 3, 2, 1, 0, 1, 1, 1, 1, 0), mine);
		// The peer's: incarnation 0's caller was killed (restart 1); incarnation 2 was stopped in order (restart 2).
		long killedWithCaller = RestartLedger.peerNumber(0, 1);
		ledger.record(0, RunLog.SENT, killedWithCaller, 2);
		ledger.ran(killedWithCaller);
		long silent = RestartLedger.peerNumber(2, 1);
		ledger.record(2, RunLog.SENT, silent, 2);
		long answered = RestartLedger.peerNumber(2, 2);
		ledger.record(2, RunLog.SENT, answered, 2);
		ledger.ran(answered);
		ledger.record(2, RequestOutcome.ANSWERED.code(), answered, 2);
		assertEquals(new RestartLedger.Tally(1, 0, 0, 0, 0, 0, 0, 0, 0, 1), ledger.tally(1, true, killedAt, 2));
		assertEquals(new RestartLedger.Tally(2, 1, 0, 0, 0, 0, 1, 0, 0, 0), ledger.tally(2, true, killedAt, 2));
	}

	private static void sent(RestartLedger ledger, long number, int restart, long at, RequestOutcome outcome) {
		RestartLedger.Entry entry = ledger.entry(number);
		entry.restart = restart;
		entry.sentAt = at;
		entry.outcome = outcome;
	}

}

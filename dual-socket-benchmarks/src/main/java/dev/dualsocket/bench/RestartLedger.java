package dev.dualsocket.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every request of the restart case by its number, across this JVM and every incarnation of the peer: how often a
 * handler ran it, how its caller ended, and which restart it is counted under. Numbers below 2<sup>32</sup> are this
 * JVM's requests to the peer; the peer's incarnation {@code i} numbers its own requests from {@code (i + 1) << 32}, so
 * numbers never repeat even though every incarnation starts counting again.
 */
final class RestartLedger {

	/** One request. */
	static final class Entry {

		final AtomicInteger runs = new AtomicInteger();

		/** How the caller ended; null while it has not (or never did, its JVM having been killed). */
		volatile RequestOutcome outcome;

		/** The restart (1-based) the request is counted under. */
		volatile int restart;

		/** {@link System#nanoTime()} when this JVM sent it; 0 for the peer's requests. */
		volatile long sentAt;

		/** The latest incarnation of the peer that ran it; -1 for none (or for the peer's requests). */
		volatile int ranIn = -1;

	}

	/**
	 * The figures of one direction over one restart (or all of them).
	 *
	 * @param requests requests sent
	 * @param answered answered with their own answer
	 * @param failedClearly failed with LinkDisconnectedException, RequestTimeoutException or RemoteRequestException
	 * @param failedInFlight of those, the ones sent before the kill (in flight when the peer died)
	 * @param failedOtherwise failed with any other exception
	 * @param crossed sent before the kill, yet run by a later incarnation of the peer: carried into a new session
	 * @param lost silent, or answered without having run
	 * @param twice ran more than once, over every incarnation
	 * @param wrong answered with something that is not the answer to their own payload
	 * @param callerKilled sent from a peer incarnation that was killed before their outcome was written
	 */
	record Tally(long requests, long answered, long failedClearly, long failedInFlight, long failedOtherwise,
			long crossed, long lost, long twice, long wrong, long callerKilled) {

		static final Tally NONE = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

		Tally plus(Tally other) {
			return new Tally(this.requests + other.requests, this.answered + other.answered,
					this.failedClearly + other.failedClearly, this.failedInFlight + other.failedInFlight,
					this.failedOtherwise + other.failedOtherwise, this.crossed + other.crossed, this.lost + other.lost,
					this.twice + other.twice,
					this.wrong + other.wrong, this.callerKilled + other.callerKilled);
		}

		String describe() {
			StringBuilder out = new StringBuilder(String.format("%,d answered, %,d failed clearly (%,d in flight at the kill)",
					this.answered, this.failedClearly, this.failedInFlight));
			if (this.failedOtherwise > 0) {
				out.append(String.format(", %,d failed otherwise", this.failedOtherwise));
			}
			if (this.crossed > 0) {
				out.append(String.format(", %,d run in a later session than they were sent in", this.crossed));
			}
			if (this.callerKilled > 0) {
				out.append(String.format(", %,d died with their caller", this.callerKilled));
			}
			out.append(String.format(", lost %d, run twice %d, wrong answers %d", this.lost, this.twice, this.wrong));
			return out.toString();
		}

	}

	private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

	static boolean isPeers(long number) {
		return (number >>> 32) != 0;
	}

	/** The incarnation of the peer that sent a request of the peer's. */
	static int incarnation(long number) {
		return (int) (number >>> 32) - 1;
	}

	static long peerNumber(int incarnation, long sequence) {
		return ((incarnation + 1L) << 32) | sequence;
	}

	Entry entry(long number) {
		return this.entries.computeIfAbsent(number, (n) -> new Entry());
	}

	void ran(long number) {
		entry(number).runs.incrementAndGet();
	}

	/**
	 * One record of a peer incarnation's {@link RunLog}.
	 * @param incarnation the incarnation whose log it is
	 * @param restarts how many times the peer was killed: incarnation {@code i < restarts} was killed at restart
	 * {@code i + 1}, the last one stopped in order
	 */
	void record(int incarnation, byte kind, long number, int restarts) {
		if (kind == RunLog.RAN) {
			Entry entry = entry(number);
			entry.runs.incrementAndGet();
			entry.ranIn = Math.max(entry.ranIn, incarnation);
			return;
		}
		Entry entry = entry(number);
		entry.restart = Math.max(1, Math.min(incarnation(number) + 1, restarts));
		if (RequestOutcome.isCode(kind)) {
			entry.outcome = RequestOutcome.ofCode(kind);
		}
	}

	/**
	 * @param restart the restart, 1-based
	 * @param peers the peer's requests (true) or this JVM's (false)
	 * @param killedAt {@link System#nanoTime()} of each kill, indexed by restart
	 * @param restarts how many times the peer was killed
	 */
	Tally tally(int restart, boolean peers, long[] killedAt, int restarts) {
		long requests = 0;
		long answered = 0;
		long failedClearly = 0;
		long inFlight = 0;
		long otherwise = 0;
		long crossed = 0;
		long lost = 0;
		long twice = 0;
		long wrong = 0;
		long callerKilled = 0;
		for (var e : this.entries.entrySet()) {
			long number = e.getKey();
			Entry entry = e.getValue();
			if (isPeers(number) != peers || entry.restart != restart) {
				continue;
			}
			requests++;
			if (entry.runs.get() > 1) {
				twice++;
			}
			// Sent before kill r, this JVM's request went to incarnation r - 1; a later one must never run it.
			if (!peers && entry.sentAt != 0 && entry.sentAt < killedAt[restart] && entry.ranIn > restart - 1) {
				crossed++;
			}
			RequestOutcome outcome = entry.outcome;
			if (outcome == null) {
				// A request of the peer's whose caller was killed with its JVM has no outcome; any other was silence.
				if (peers && incarnation(number) < restarts) {
					callerKilled++;
				}
				else {
					lost++;
				}
				continue;
			}
			switch (outcome) {
				case ANSWERED -> {
					answered++;
					if (entry.runs.get() == 0) {
						lost++; // answered without having run
					}
				}
				case WRONG_ANSWER -> wrong++;
				case FAILED_CLEARLY -> {
					failedClearly++;
					if (entry.sentAt != 0 && entry.sentAt < killedAt[restart]) {
						inFlight++;
					}
				}
				case FAILED_OTHERWISE -> otherwise++;
				case SILENT -> lost++;
			}
		}
		return new Tally(requests, answered, failedClearly, inFlight, otherwise, crossed, lost, twice, wrong,
				callerKilled);
	}

}

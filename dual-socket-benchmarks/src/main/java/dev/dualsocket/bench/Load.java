package dev.dualsocket.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The two ways load is applied: synchronous callers (each sends a request and waits for its answer, in a loop), and
 * one thread that keeps a fixed number of asynchronous requests in flight.
 */
public final class Load {

	private Load() {
	}

	/** One blocking request and its answer. */
	@FunctionalInterface
	public interface SyncCall {

		void call() throws Exception;

	}

	/** Sends one request; the future completes with its answer. */
	@FunctionalInterface
	public interface AsyncCall {

		CompletableFuture<?> send() throws Exception;

	}

	/**
	 * Runs {@code callers} threads, each calling in a loop until the time is up.
	 * @param callers how many threads
	 * @param callForThread the call each thread makes (given the thread's index)
	 * @param duration how long
	 * @return what was measured
	 */
	public static RoundResult syncCallers(int callers, IntFunction<SyncCall> callForThread, Duration duration)
			throws InterruptedException {
		Recorder recorder = new Recorder();
		CountDownLatch ready = new CountDownLatch(callers);
		CountDownLatch go = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(callers);
		CountDownLatch measured = new CountDownLatch(1);
		long[] deadline = new long[1];
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			SyncCall call = callForThread.apply(i);
			Histogram histogram = recorder.newHistogram();
			Thread thread = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				long end = deadline[0];
				long now = System.nanoTime();
				while (now < end) {
					try {
						call.call();
						long done = System.nanoTime();
						histogram.record(done - now);
						now = done;
					}
					catch (Exception ex) {
						recorder.error(ex);
						now = System.nanoTime();
					}
				}
				// Stay alive until the round's cost is taken: a thread's context switches vanish with it.
				finished.countDown();
				try {
					measured.await();
				}
				catch (InterruptedException ex) {
					// ending anyway
				}
			}, "bench-caller-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		ready.await();
		Cost before = Cost.now();
		long start = System.nanoTime();
		deadline[0] = start + duration.toNanos();
		go.countDown();
		finished.await(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS);
		long end = System.nanoTime();
		Cost cost = Cost.now().since(before);
		measured.countDown();
		for (Thread thread : threads) {
			thread.join(60_000);
		}
		return RoundResult.of(recorder.merged(), start, end, recorder.errors(), cost);
	}

	/**
	 * Keeps {@code window} requests in flight from one thread until the time is up, then waits for the last answers.
	 * @param window requests in flight
	 * @param call sends one request
	 * @param duration how long
	 * @return what was measured
	 */
	public static RoundResult asyncWindow(int window, AsyncCall call, Duration duration) throws Exception {
		Recorder recorder = new Recorder();
		Semaphore permits = new Semaphore(window);
		Cost before = Cost.now();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		long now = start;
		while (now < end) {
			permits.acquire();
			long sent = System.nanoTime();
			CompletableFuture<?> answer;
			try {
				answer = call.send();
			}
			catch (Exception ex) {
				recorder.error();
				permits.release();
				now = System.nanoTime();
				continue;
			}
			answer.whenComplete((result, failure) -> {
				if (failure != null) {
					recorder.error();
				}
				else {
					recorder.record(System.nanoTime() - sent);
				}
				permits.release();
			});
			now = sent;
		}
		if (!permits.tryAcquire(window, 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("requests still in flight 60 s after the round");
		}
		long last = System.nanoTime();
		return RoundResult.of(recorder.merged(), start, last, recorder.errors(), Cost.now().since(before));
	}

}

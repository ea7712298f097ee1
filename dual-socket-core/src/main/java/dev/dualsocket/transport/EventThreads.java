package dev.dualsocket.transport;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The threads that deliver events and request observations to listeners, off the I/O threads and locks, and a count
 * of what was handed to them and is not delivered yet, so that a test can wait for the listeners to catch up.
 */
public final class EventThreads implements Executor {

	private final ThreadPoolExecutor pool;

	private final AtomicLong undelivered = new AtomicLong();

	EventThreads(int threads) {
		// Unbounded queue of at most one task per mailbox (one per link, plus one per endpoint): each mailbox bounds
		// its own backlog.
		this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				new DefaultThreadFactory("dual-socket-events", true));
		this.pool.allowCoreThreadTimeOut(true);
	}

	@Override
	public void execute(Runnable command) {
		this.pool.execute(command);
	}

	/**
	 * Counts deliveries handed over ({@code count > 0}) or done or dropped ({@code count < 0}).
	 * @param count how many
	 */
	public void count(int count) {
		this.undelivered.addAndGet(count);
	}

	/**
	 * Waits until everything handed over so far has been delivered (or dropped). For tests: an event is handed over
	 * before the change it reports can be seen, so once a test has seen the change, this waits for its event.
	 * @param timeout how long to wait at most
	 * @return whether everything was delivered in time (not when a listener blocks)
	 */
	public boolean awaitDelivered(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.undelivered.get() > 0) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return true;
	}

	void close() {
		// The last events (links going CLOSED) are still delivered, unless a listener holds them up.
		this.pool.shutdown();
		try {
			this.pool.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.pool.shutdownNow();
	}

}

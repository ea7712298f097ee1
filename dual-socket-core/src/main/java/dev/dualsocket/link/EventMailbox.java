package dev.dualsocket.link;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.EventThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Delivers one link's events (or one endpoint's, or one link's request observations) to their listeners, in the
 * order they were posted, on the shared event threads: never on the thread that posted them, which may be an I/O
 * thread or hold the link's lock. Posting only enqueues, so it is safe under a lock and keeps the order of the changes
 * the lock serialises; a listener that throws is logged and changes nothing; a listener that blocks delays only the
 * later deliveries of the same mailbox (and holds one event thread). Bounded: beyond {@value #CAPACITY} undelivered
 * items a post is dropped, with a WARN.
 */
final class EventMailbox {

	static final int CAPACITY = 10_000;

	/** Deliveries per turn on an event thread, so that one busy mailbox does not keep the others waiting. */
	private static final int TURN = 256;

	private static final Log logger = LogFactory.getLog(EventMailbox.class);

	private final EventThreads executor;

	private final String owner;

	private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final RateLimitedLog failures = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private final RateLimitedLog drops = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/**
	 * @param executor the event threads
	 * @param owner what the deliveries are about, for log lines: for example "endpoint 'x', link 'y'"
	 */
	EventMailbox(EventThreads executor, String owner) {
		this.executor = executor;
		this.owner = owner;
	}

	/**
	 * Queues a delivery; returns at once.
	 * @param delivery calls the listener
	 */
	void post(Runnable delivery) {
		if (this.size.incrementAndGet() > CAPACITY) {
			this.size.decrementAndGet();
			this.drops.warn(() -> "Dropped an event of " + this.owner + ": " + CAPACITY + " are waiting for a listener "
					+ "that does not keep up (one that blocks?); the link itself is not affected", null);
			return;
		}
		this.executor.count(1);
		this.queue.add(delivery);
		schedule();
	}

	private void schedule() {
		if (this.scheduled.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::deliver);
			}
			catch (RejectedExecutionException ex) {
				// The transport is shut down: nobody is left to tell.
				int dropped = this.size.getAndSet(0);
				this.queue.clear();
				this.executor.count(-dropped);
				this.scheduled.set(false);
			}
		}
	}

	private void deliver() {
		for (int i = 0; i < TURN; i++) {
			Runnable next = this.queue.poll();
			if (next == null) {
				break;
			}
			this.size.decrementAndGet();
			try {
				next.run();
			}
			catch (Throwable ex) {
				this.failures.warn(() -> "A listener of " + this.owner + " threw " + ex
						+ "; the link is not affected and later events are still delivered", ex);
			}
			finally {
				this.executor.count(-1);
			}
		}
		this.scheduled.set(false);
		if (!this.queue.isEmpty()) {
			schedule();
		}
	}

}

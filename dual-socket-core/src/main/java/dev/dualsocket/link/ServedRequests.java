package dev.dualsocket.link;

import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import org.jspecify.annotations.Nullable;

/**
 * The requests this side has taken from the peer in one session, so that a request the peer sends again after a
 * socket failure is never run twice: one still running is left to finish (its response goes out on whatever
 * inbound connection is attached then), one finished is answered from here. Responses are kept until the peer's
 * heartbeats say it has them (its low watermark passed their id), and within {@code capacity} entries and
 * {@code maxBytes} of payload, oldest first out: the count bounds the record's bookkeeping, the bytes the memory large
 * responses take.
 *
 * <p>Forgetting a response must not let its request run again, so the record keeps a floor: every id below it counts
 * as served. The floor rises with the peer's watermark and past every response evicted for room, whether the count or
 * the bytes made the room. A request below the floor that is not remembered gets {@link #EXPIRED}: the requester is
 * told it was not run now (section 6.3 of the protocol), never a second run.
 *
 * <p>The record is kept without an object per request: a map keyed by the primitive id, and the ids in the order they
 * were taken in a ring of {@code long}s, which is what oldest-first means here. A request still running when its turn
 * to go comes is moved to the back of the ring; an id whose request was abandoned stays in the ring until its turn
 * comes and is then skipped.
 */
final class ServedRequests {

	/** Stands for a request whose handler is still running. */
	static final Frame RUNNING = new Frame(FrameType.RESPONSE, -1, new byte[0]);

	/** Stands for a request whose id is below the floor and whose answer is no longer kept. */
	static final Frame EXPIRED = new Frame(FrameType.ERROR, -1, new byte[0]);

	private final int capacity;

	private final long maxBytes;

	/** Payload bytes of the finished responses kept; guarded by this. */
	private long bytes;

	/** Every id below this counts as served; guarded by this. */
	private long floor = Long.MIN_VALUE;

	/** Set once the session ended; guarded by this. */
	private boolean ended;

	/** The requests recorded, running or finished, by id; guarded by this. */
	private final IdMap<Frame> entries = new IdMap<>();

	/** The ids recorded, oldest first; guarded by this. May hold ids no longer recorded, which are skipped. */
	private final LongRing order = new LongRing();

	/**
	 * @param capacity most requests recorded, running or finished; only finished ones are dropped to stay within it
	 * @param maxBytes most payload bytes of the finished responses kept
	 */
	ServedRequests(int capacity, long maxBytes) {
		this.capacity = capacity;
		this.maxBytes = maxBytes;
	}

	/**
	 * Takes a request in.
	 * @param id the request id
	 * @return {@code null} if the request is new and its handler must run; {@link #RUNNING} if it is already running;
	 * {@link #EXPIRED} if its id is below the floor and nothing is kept for it; otherwise the response to send again
	 */
	synchronized @Nullable Frame admit(long id) {
		if (this.ended) {
			return EXPIRED;
		}
		Frame kept = this.entries.get(id);
		if (id < this.floor) {
			return (kept != null) ? kept : EXPIRED;
		}
		if (kept == null) {
			this.entries.put(id, RUNNING);
			this.order.add(id);
		}
		return kept;
	}

	synchronized void complete(long id, Frame response) {
		if (this.ended) {
			// The answer of an ended session is never sent again: nothing to keep.
			return;
		}
		Frame previous = this.entries.put(id, response);
		if (previous == null) {
			this.order.add(id);
		}
		else if (previous != RUNNING) {
			this.bytes -= previous.payload().length;
		}
		this.bytes += response.payload().length;
		if (this.entries.size() > this.capacity || this.bytes > this.maxBytes) {
			evictOldestFinishedWhileOverBounds();
		}
	}

	/**
	 * Forgets a request that was taken in but will not run (the handler pool was full), so that it runs if the peer
	 * sends it again.
	 * @param id the request id
	 */
	synchronized void abandon(long id) {
		if (this.entries.get(id) == RUNNING) {
			this.entries.remove(id);
		}
	}

	synchronized void forgetBelow(long watermark) {
		this.floor = Math.max(this.floor, watermark);
		// Each id is looked at once at most: one still running goes to the back, and the next pass sees it again.
		for (int left = this.order.size(); left > 0; left--) {
			long id = this.order.first();
			Frame entry = this.entries.get(id);
			if (entry != null && id >= watermark) {
				return;
			}
			this.order.removeFirst();
			if (entry == RUNNING) {
				this.order.add(id);
			}
			else if (entry != null) {
				this.bytes -= entry.payload().length;
				this.entries.remove(id);
			}
		}
	}

	/**
	 * Drops the oldest finished responses until both bounds hold again; running requests stay, so the count may stay
	 * above its bound while they run. A response larger than {@code maxBytes} on its own is dropped too.
	 */
	private void evictOldestFinishedWhileOverBounds() {
		for (int left = this.order.size(); left > 0
				&& (this.entries.size() > this.capacity || this.bytes > this.maxBytes); left--) {
			long id = this.order.removeFirst();
			Frame entry = this.entries.get(id);
			if (entry == RUNNING) {
				this.order.add(id);
			}
			else if (entry != null) {
				// Its request must still never run again: everything up to it now counts as served.
				this.floor = Math.max(this.floor, id + 1);
				this.bytes -= entry.payload().length;
				this.entries.remove(id);
			}
		}
	}

	/**
	 * The session ended: its answers will never be sent again, so they are dropped at once, whatever still refers to
	 * the session (a timer of its recovery, a handler still running). Nothing is admitted any more.
	 */
	synchronized void endSession() {
		this.ended = true;
		this.entries.clear();
		this.order.clear();
		this.bytes = 0;
	}

	synchronized int size() {
		return this.entries.size();
	}

	/** Payload bytes of the finished responses kept. */
	synchronized long bytes() {
		return this.bytes;
	}

	/** A queue of {@code long}s in a growing circular array, without an object per element. */
	private static final class LongRing {

		private long[] ids = new long[16];

		private int head;

		private int size;

		int size() {
			return this.size;
		}

		void add(long id) {
			if (this.size == this.ids.length) {
				long[] grown = new long[this.ids.length * 2];
				for (int i = 0; i < this.size; i++) {
					grown[i] = this.ids[(this.head + i) & (this.ids.length - 1)];
				}
				this.ids = grown;
				this.head = 0;
			}
			this.ids[(this.head + this.size) & (this.ids.length - 1)] = id;
			this.size++;
		}

		long first() {
			return this.ids[this.head];
		}

		long removeFirst() {
			long id = this.ids[this.head];
			this.head = (this.head + 1) & (this.ids.length - 1);
			this.size--;
			return id;
		}

		void clear() {
			this.head = 0;
			this.size = 0;
		}

	}

}

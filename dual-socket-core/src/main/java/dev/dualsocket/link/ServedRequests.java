package dev.dualsocket.link;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

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

	private final LinkedHashMap<Long, Frame> entries = new LinkedHashMap<>();

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
		if (id < this.floor) {
			Frame kept = this.entries.get(id);
			return (kept != null) ? kept : EXPIRED;
		}
		return this.entries.putIfAbsent(id, RUNNING);
	}

	synchronized void complete(long id, Frame response) {
		if (this.ended) {
			// The answer of an ended session is never sent again: nothing to keep.
			return;
		}
		Frame previous = this.entries.put(id, response);
		if (previous != null && previous != RUNNING) {
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
		this.entries.remove(id, RUNNING);
	}

	synchronized void forgetBelow(long watermark) {
		this.floor = Math.max(this.floor, watermark);
		Iterator<Map.Entry<Long, Frame>> iterator = this.entries.entrySet().iterator();
		while (iterator.hasNext()) {
			Map.Entry<Long, Frame> entry = iterator.next();
			if (entry.getKey() >= watermark) {
				return;
			}
			if (entry.getValue() != RUNNING) {
				this.bytes -= entry.getValue().payload().length;
				iterator.remove();
			}
		}
	}

	/**
	 * Drops the oldest finished responses until both bounds hold again; running requests stay, so the count may stay
	 * above its bound while they run. A response larger than {@code maxBytes} on its own is dropped too.
	 */
	private void evictOldestFinishedWhileOverBounds() {
		Iterator<Map.Entry<Long, Frame>> iterator = this.entries.entrySet().iterator();
		while ((this.entries.size() > this.capacity || this.bytes > this.maxBytes) && iterator.hasNext()) {
			Map.Entry<Long, Frame> entry = iterator.next();
			if (entry.getValue() != RUNNING) {
				// Its request must still never run again: everything up to it now counts as served.
				this.floor = Math.max(this.floor, entry.getKey() + 1);
				this.bytes -= entry.getValue().payload().length;
				iterator.remove();
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
		this.bytes = 0;
	}

	synchronized int size() {
		return this.entries.size();
	}

	/** Payload bytes of the finished responses kept. */
	synchronized long bytes() {
		return this.bytes;
	}

}

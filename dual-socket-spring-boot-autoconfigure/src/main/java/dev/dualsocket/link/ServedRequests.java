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
 * heartbeats say it has them (its low watermark passed their id) and at most {@code capacity} of them, oldest first
 * out.
 */
final class ServedRequests {

	/** Stands for a request whose handler is still running. */
	static final Frame RUNNING = new Frame(FrameType.RESPONSE, -1, new byte[0]);

	private final int capacity;

	private final LinkedHashMap<Long, Frame> entries = new LinkedHashMap<>();

	ServedRequests(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * Takes a request in.
	 * @param id the request id
	 * @return {@code null} if the request is new and its handler must run; {@link #RUNNING} if it is already running;
	 * otherwise the response to send again
	 */
	synchronized @Nullable Frame admit(long id) {
		Frame existing = this.entries.putIfAbsent(id, RUNNING);
		return existing;
	}

	synchronized void complete(long id, Frame response) {
		this.entries.put(id, response);
		if (this.entries.size() > this.capacity) {
			evictOldestFinished(this.entries.size() - this.capacity);
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
		Iterator<Map.Entry<Long, Frame>> iterator = this.entries.entrySet().iterator();
		while (iterator.hasNext()) {
			Map.Entry<Long, Frame> entry = iterator.next();
			if (entry.getKey() >= watermark) {
				return;
			}
			if (entry.getValue() != RUNNING) {
				iterator.remove();
			}
		}
	}

	private void evictOldestFinished(int count) {
		Iterator<Frame> iterator = this.entries.values().iterator();
		int evicted = 0;
		while (evicted < count && iterator.hasNext()) {
			if (iterator.next() != RUNNING) {
				iterator.remove();
				evicted++;
			}
		}
	}

	synchronized int size() {
		return this.entries.size();
	}

}

package dev.dualsocket.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.link.RequestObserver.Outcome;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The requests this side sent on a link and still awaits: each has an id, its payload (to send it again after a
 * socket failure), its caller's future and its deadline. A request leaves when it is answered, times out or is
 * failed; nothing stays behind.
 */
final class OutstandingRequests {

	private final ConcurrentHashMap<Long, Outstanding> requests = new ConcurrentHashMap<>();

	private final AtomicLong lastId = new AtomicLong();

	private final Timer timer;

	private final Duration timeout;

	private final String where;

	private final Completion completion;

	OutstandingRequests(Timer timer, Duration timeout, String where, Completion completion) {
		this.timer = timer;
		this.timeout = timeout;
		this.where = where;
		this.completion = completion;
	}

	Outstanding register(byte[] payload) {
		Outstanding request = new Outstanding(this.lastId.incrementAndGet(), payload);
		this.requests.put(request.id, request);
		request.timeout = this.timer.newTimeout((timeout) -> expire(request), this.timeout.toNanos(),
				TimeUnit.NANOSECONDS);
		return request;
	}

	private void expire(Outstanding request) {
		if (this.requests.remove(request.id, request)) {
			this.completion.completed(request, Outcome.TIMEOUT);
			request.future.completeExceptionally(new RequestTimeoutException("No response to request " + request.id
					+ " on " + this.where + " within " + this.timeout.toMillis() + " ms", this.timeout));
		}
	}

	/**
	 * Takes the request with the given id out, if it is still awaited.
	 * @param id the request id
	 * @return the request, or {@code null} if it was already answered, timed out or failed
	 */
	@Nullable Outstanding remove(long id) {
		Outstanding request = this.requests.remove(id);
		if (request != null) {
			Timeout timeout = request.timeout;
			if (timeout != null) {
				timeout.cancel();
			}
		}
		return request;
	}

	void fail(long id, Throwable failure) {
		Outstanding request = remove(id);
		if (request != null) {
			this.completion.completed(request, Outcome.DISCONNECTED);
			request.future.completeExceptionally(failure);
		}
	}

	void failAll(Supplier<? extends Throwable> failure) {
		for (Long id : this.requests.keySet()) {
			fail(id, failure.get());
		}
	}

	/**
	 * The awaited requests in the order they were first sent.
	 * @return the requests
	 */
	List<Outstanding> inIdOrder() {
		List<Outstanding> pending = new ArrayList<>(this.requests.values());
		pending.sort(Comparator.comparingLong(Outstanding::id));
		return pending;
	}

	/**
	 * The lowest id still awaited; every lower id has left. The next id to be assigned when nothing is awaited.
	 * @return the low watermark
	 */
	long lowWatermark() {
		long lowest = this.lastId.get() + 1;
		for (Long id : this.requests.keySet()) {
			lowest = Math.min(lowest, id);
		}
		return lowest;
	}

	int size() {
		return this.requests.size();
	}

	/**
	 * Told when a request leaves without an answer (timed out or failed), before its caller hears of it.
	 */
	@FunctionalInterface
	interface Completion {

		void completed(Outstanding request, Outcome outcome);

	}

	boolean isEmpty() {
		return this.requests.isEmpty();
	}

	static final class Outstanding {

		private final long id;

		private final byte[] payload;

		private final CompletableFuture<byte[]> future = new CompletableFuture<>();

		private final long startNanos = System.nanoTime();

		private volatile @Nullable Timeout timeout;

		Outstanding(long id, byte[] payload) {
			this.id = id;
			this.payload = payload;
		}

		long elapsedNanos() {
			return System.nanoTime() - this.startNanos;
		}

		long id() {
			return this.id;
		}

		byte[] payload() {
			return this.payload;
		}

		CompletableFuture<byte[]> future() {
			return this.future;
		}

	}

}

package dev.dualsocket.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.ha.RequestKey;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.transport.FieldList;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.RequestFields;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import org.jspecify.annotations.Nullable;

/**
 * The requests this side sent on a link and still awaits: each has an id, its payload (to send it again after a
 * socket failure), its caller's future and its deadline. A request leaves when it is answered, times out or is
 * failed; nothing stays behind.
 */
final class OutstandingRequests {

	/**
	 * The awaited requests by id; guarded by itself, as is {@link #lastId}. Keyed by the primitive id, so that a
	 * request costs no boxed key and no map node; every caller registering and the event loop taking answers out
	 * hold the lock only for a map operation, and never complete a future under it.
	 */
	private final IdMap<Outstanding> requests = new IdMap<>();

	/** The last id taken; guarded by {@link #requests}. */
	private long lastId;

	/** How many requests are awaited, for reading without the lock. */
	private volatile int size;

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
		return register(payload, FieldList.EMPTY);
	}

	/**
	 * Registers a request with its header fields, which every copy of it sent again carries too.
	 * @param payload the payload
	 * @param fields the header fields
	 * @return the request, not sent yet
	 */
	Outstanding register(byte[] payload, FieldList fields) {
		Outstanding request;
		// Taking the id and entering it are one step under the lock that lowWatermark() reads under: otherwise the
		// watermark could see the id taken but not yet entered, report it as answered, and the receiver would answer
		// the request DUPLICATE_EXPIRED when it arrives.
		synchronized (this.requests) {
			request = new Outstanding(++this.lastId, payload, fields, this.timeout.toNanos());
			enter(request);
		}
		return request;
	}

	/**
	 * Registers a request again under a new id, for its caller's same future and deadline: the peer answered the
	 * first id {@code BUSY}, so it did not run, and the id is not used again (section 6.5 of the protocol).
	 * @param busy the request that was answered {@code BUSY}, already taken out
	 * @return the request under its new id, not sent yet
	 */
	Outstanding registerRetry(Outstanding busy) {
		Outstanding retry;
		synchronized (this.requests) {
			retry = new Outstanding(++this.lastId, busy);
			enter(retry);
		}
		return retry;
	}

	/** Enters a request under its id; the caller holds the lock. */
	private void enter(Outstanding request) {
		this.requests.put(request.id, request);
		this.size = this.requests.size();
	}

	/** Takes the request with the given id out, if any; the caller holds the lock. */
	private @Nullable Outstanding take(long id) {
		Outstanding request = this.requests.remove(id);
		this.size = this.requests.size();
		return request;
	}

	/**
	 * Whether a request is still awaited under its id.
	 * @param request the request
	 * @return whether it is
	 */
	boolean isAwaited(Outstanding request) {
		synchronized (this.requests) {
			return this.requests.get(request.id) == request;
		}
	}

	/**
	 * Starts expiring requests that outlive the request timeout. Rather than a timer entry per request (an object and
	 * two queue operations each), one task per link looks at the requests every twentieth of the timeout (10 to 250
	 * ms), so a request times out at most that much late.
	 * @param running whether to keep sweeping; checked before each sweep
	 */
	void startExpiring(BooleanSupplier running) {
		long interval = Math.min(Math.max(this.timeout.toNanos() / 20, TimeUnit.MILLISECONDS.toNanos(10)),
				TimeUnit.MILLISECONDS.toNanos(250));
		this.timer.newTimeout(new Sweep(running, interval), interval, TimeUnit.NANOSECONDS);
	}

	private void expireOverdue() {
		long now = System.nanoTime();
		List<Outstanding> overdue = null;
		synchronized (this.requests) {
			for (Outstanding request : this.requests.values()) {
				if (now - request.deadlineNanos >= 0) {
					if (overdue == null) {
						overdue = new ArrayList<>();
					}
					overdue.add(request);
				}
			}
		}
		if (overdue != null) {
			overdue.forEach(this::expire);
		}
	}

	private void expire(Outstanding request) {
		boolean awaited;
		synchronized (this.requests) {
			awaited = this.requests.get(request.id) == request && take(request.id) != null;
		}
		if (awaited) {
			this.completion.completed(request, Outcome.TIMEOUT);
			// A request that never left says so: it did not run, which a caller deciding on a retry wants to know.
			String what = (request.busyAnswers > 0)
					? "No response to request " + request.id + ", whose earlier copies were answered BUSY "
							+ request.busyAnswers + " times (the peer is quiesced or its handlers are full)"
					: (request.sentIn != null || request.key != null) ? "No response to request " + request.id
							: "Request " + request.id + " was never sent (the link was not established)";
			request.future.completeExceptionally(new RequestTimeoutException(
					what + " on " + this.where + " within " + this.timeout.toMillis() + " ms", this.timeout));
		}
	}

	/**
	 * Takes the request with the given id out, if it is still awaited.
	 * @param id the request id
	 * @return the request, or {@code null} if it was already answered, timed out or failed
	 */
	@Nullable Outstanding remove(long id) {
		synchronized (this.requests) {
			return take(id);
		}
	}

	/**
	 * Takes the request with the given id out if it was sent in the given session: an answer is only ever its own
	 * request's when it arrives on a connection of the session the request went out in.
	 * @param id the request id
	 * @param session the session of the connection the answer arrived on
	 * @return the request, or {@code null} if it is not awaited, or was sent in another session (or not yet)
	 */
	@Nullable Outstanding removeAnsweredIn(long id, Session session) {
		synchronized (this.requests) {
			Outstanding request = this.requests.get(id);
			return (request != null && request.sentIn == session) ? take(id) : null;
		}
	}

	void fail(long id, Throwable failure) {
		Outstanding request = remove(id);
		if (request != null) {
			this.completion.completed(request, Outcome.DISCONNECTED);
			request.future.completeExceptionally(failure);
		}
	}

	void failAll(Supplier<? extends Throwable> failure) {
		List<Outstanding> awaited;
		synchronized (this.requests) {
			awaited = this.requests.values();
		}
		for (Outstanding request : awaited) {
			fail(request.id, failure.get());
		}
	}

	/**
	 * The awaited requests in the order they were first sent.
	 * @return the requests
	 */
	List<Outstanding> inIdOrder() {
		List<Outstanding> pending;
		synchronized (this.requests) {
			pending = this.requests.values(); // a copy
		}
		pending.sort(Comparator.comparingLong(Outstanding::id));
		return pending;
	}

	/**
	 * The lowest id still awaited; every lower id has left. The next id to be assigned when nothing is awaited.
	 * @return the low watermark
	 */
	long lowWatermark() {
		synchronized (this.requests) {
			long lowest = this.lastId + 1;
			for (Outstanding request : this.requests.values()) {
				lowest = Math.min(lowest, request.id);
			}
			return lowest;
		}
	}

	int size() {
		return this.size;
	}

	private final class Sweep implements TimerTask {

		private final BooleanSupplier running;

		private final long interval;

		Sweep(BooleanSupplier running, long interval) {
			this.running = running;
			this.interval = interval;
		}

		@Override
		public void run(Timeout timeout) {
			if (!this.running.getAsBoolean()) {
				return;
			}
			expireOverdue();
			OutstandingRequests.this.timer.newTimeout(this, this.interval, TimeUnit.NANOSECONDS);
		}

	}

	/**
	 * Told when a request leaves without an answer (timed out or failed), before its caller hears of it.
	 */
	@FunctionalInterface
	interface Completion {

		void completed(Outstanding request, Outcome outcome);

	}

	boolean isEmpty() {
		return this.size == 0;
	}

	static final class Outstanding {

		private static final AtomicReferenceFieldUpdater<Outstanding, Session> SENT_IN = AtomicReferenceFieldUpdater
			.newUpdater(Outstanding.class, Session.class, "sentIn");

		private final long id;

		private final byte[] payload;

		private final FieldList fields;

		private final CompletableFuture<byte[]> future;

		private final long startNanos;

		private final long deadlineNanos;

		/** How many times the peer answered this request {@code BUSY} so far, under its earlier ids. */
		private final int busyAnswers;

		/**
		 * The session the request went out in; {@code null} until it is sent. It is never sent in another, but for a
		 * keyed request carried to the next session (section 6.6 of the protocol), which is sent in that one.
		 */
		private volatile @Nullable Session sentIn;

		/**
		 * Its key (section 6.6 of the protocol): the session it was first sent in and its id there, once it went out
		 * in a session whose server keeps answers across sessions; {@code null} otherwise. Written once.
		 */
		private volatile byte @Nullable [] key;

		/** The frame it goes out as, once made; see {@link #frame()}. */
		private @Nullable Frame frame;

		Outstanding(long id, byte[] payload, FieldList fields, long timeoutNanos) {
			this.id = id;
			this.payload = payload;
			this.fields = fields;
			this.future = new CompletableFuture<>();
			this.startNanos = System.nanoTime();
			this.deadlineNanos = this.startNanos + timeoutNanos;
			this.busyAnswers = 0;
		}

		/** The same request under a new id, after the peer answered the earlier one {@code BUSY}. */
		Outstanding(long id, Outstanding busy) {
			this.id = id;
			this.payload = busy.payload;
			this.fields = busy.fields;
			this.future = busy.future;
			this.startNanos = busy.startNanos;
			this.deadlineNanos = busy.deadlineNanos;
			this.busyAnswers = busy.busyAnswers + 1;
			this.key = busy.key;
		}

		/** Whether it has not been sent in any session yet. */
		boolean isUnsent() {
			return this.sentIn == null;
		}

		int busyAnswers() {
			return this.busyAnswers;
		}

		/**
		 * Binds the request to the session it is about to be sent in.
		 * @return whether it may be sent there: it was not sent yet, or was sent in that same session
		 */
		boolean sendIn(Session session) {
			if (SENT_IN.compareAndSet(this, null, session)) {
				if (this.key == null && session.keepsAnswers()) {
					this.key = new RequestKey(session.id(), this.id).toBytes();
				}
				return true;
			}
			return this.sentIn == session;
		}

		/**
		 * Whether it has a key, so that it may be sent in a later session of a server that keeps answers (section 6.6
		 * of the protocol).
		 */
		boolean isKeyed() {
			return this.key != null;
		}

		/**
		 * Its session ended without an answer: a keyed request is freed to be sent in the next session, under the
		 * same key; one without a key is not.
		 * @return whether it was freed
		 */
		boolean carryToNextSession() {
			if (this.key == null) {
				return false;
			}
			this.sentIn = null;
			return true;
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

		/**
		 * The request as it goes on the wire: made when it is first sent, once its key is known, and kept for sending
		 * it again. Frames are immutable, so a race between two threads sending it only makes an equal one twice.
		 */
		Frame frame() {
			Frame made = this.frame;
			if (made == null) {
				byte[] requestKey = this.key;
				made = new Frame(FrameType.REQUEST, this.id, this.payload,
						(requestKey != null) ? this.fields.with(RequestFields.REQUEST_KEY, requestKey) : this.fields);
				this.frame = made;
			}
			return made;
		}

		CompletableFuture<byte[]> future() {
			return this.future;
		}

	}

}

package dev.dualsocket.link;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.ha.RequestKey;
import dev.dualsocket.ha.ServedRequestStore;
import dev.dualsocket.ha.StoredAnswer;
import dev.dualsocket.link.LinkSettings.Quiesce;
import dev.dualsocket.link.RequestObserver.Direction;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.observation.InboundRequestContext;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.BackPressureHandler;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.RequestFields;
import io.micrometer.observation.Observation;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The requests the peer sends on this side's inbound socket: admits each one against the session's record of served
 * requests (so a request sent again is never run twice), runs the new ones on the handler pool (or, for a handler
 * that never blocks, on the event loop that read them), and answers on the inbound socket of the session the request
 * came in.
 *
 * <p>While this side is quiesced (seed 002) the requests taken are not run but held, in arrival order and within
 * {@code quiesce.max-queued} and {@code quiesce.max-queued-bytes}; those beyond are answered {@code BUSY}. On resuming
 * the held requests run in the order they arrived, and a request arriving meanwhile waits behind them. Once the link
 * closes, held and new requests are answered {@code SHUTTING_DOWN}. Held requests do not count as unanswered for
 * pausing the inbound connection: it must stay read, or its heartbeats would go unanswered and the quiesced link fail.
 */
final class Responder {

	private static final Log logger = LogFactory.getLog(Responder.class);

	/** Characters of a handler's exception text that go to the peer at most. */
	private static final int MAX_ERROR_TEXT = 512;

	private final RateLimitedLog oversized = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private final RateLimitedLog unhandled = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private final RateLimitedLog storeFailures = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/**
	 * The keyed requests whose handlers run here now, with their answers to come: a copy that arrives in a later
	 * session of the same link (the client re-established it with this instance) gets the answer when it comes,
	 * rather than {@code DUPLICATE_EXPIRED}. Bounded like the handlers: an entry leaves when its request is answered.
	 */
	private final ConcurrentHashMap<RequestKey, CompletableFuture<Frame>> runningHere = new ConcurrentHashMap<>();

	private final LinkContext context;

	private final String linkId;

	private final LinkStateMachine states;

	private final LinkSocket inbound;

	private final EventMailbox observations;

	private final Runnable served;

	private final AtomicInteger runningHandlers = new AtomicInteger();

	/**
	 * Above this many requests read and not yet answered, the inbound connection is not read (section 6.4 of the
	 * protocol), below {@link #UNANSWERED_LOW} it is again: with the handler queue alone, a peer sending faster than
	 * the handlers answer could queue 10,000 requests of up to max-frame-size each, and their answers after them.
	 * 256 is many times what the handler threads run at once, so a pipelining peer is paused only while the
	 * handlers lag behind; the kernel's socket buffers hold what it sends meanwhile.
	 */
	static final int UNANSWERED_HIGH = 256;

	static final int UNANSWERED_LOW = UNANSWERED_HIGH / 2;

	/** Above this many payload bytes read and not yet answered, likewise; below half of it, read again. */
	static final long UNANSWERED_BYTES_HIGH = 1024 * 1024;

	/** Payload bytes of the requests admitted and not yet answered. */
	private final AtomicLong unansweredBytes = new AtomicLong();

	/** Whether reading is paused for the unanswered requests: the latest decision, applied on the event loop. */
	private volatile boolean unansweredFull;

	/** The requests held while quiesced, oldest first; guarded by itself, as are the three fields after it. */
	private final ArrayDeque<Held> held = new ArrayDeque<>();

	private long heldBytes;

	/** Quiesced: new requests are held, not run. */
	private boolean holding;

	/** Closing: new and held requests are answered SHUTTING_DOWN, never run. */
	private boolean refusing;

	/** The highest request id handed to a handler, and its session: what a QUIESCE says is still served. */
	private volatile Taken lastTaken = new Taken(null, 0);

	/**
	 * @param context the endpoint's shared context
	 * @param linkId the link's id
	 * @param states the link's state
	 * @param inbound the socket requests arrive and are answered on
	 * @param observations where the observer hears how requests ended
	 * @param served called after a handler finished, for an orderly close waiting for the link to drain
	 */
	Responder(LinkContext context, String linkId, LinkStateMachine states, LinkSocket inbound,
			EventMailbox observations, Runnable served) {
		this.context = context;
		this.linkId = linkId;
		this.states = states;
		this.inbound = inbound;
		this.observations = observations;
		this.served = served;
	}

	/**
	 * Takes a request in (on the inbound connection's event loop).
	 * @return {@code true} if the handler must run it; {@code false} if it is a copy of one already taken, which is
	 * left to finish or answered again from the cache here
	 */
	boolean admitRequest(Frame request, Session session) {
		if (this.states.session() != session) {
			return false; // read on a connection of a session that has ended: nobody awaits its answer here
		}
		Frame earlier = session.served().admit(request.id());
		if (earlier == null) {
			return true;
		}
		if (earlier == ServedRequests.EXPIRED) {
			this.inbound.send(new ErrorReply(RemoteRequestException.Reason.DUPLICATE_EXPIRED, "request " + request.id()
					+ " is below what endpoint '" + this.context.endpointName() + "' still remembers of this session; "
					+ "it was not run again").toFrame(request.id()), session);
		}
		else if (earlier != ServedRequests.RUNNING) {
			this.inbound.send(earlier, session);
		}
		return false;
	}

	/**
	 * Runs admitted requests on the handler pool, in as many tasks as there are handler threads at most, so that
	 * a batch costs a few hand-offs instead of one each while still using every thread; a handler that never blocks
	 * runs them here.
	 * @param requests the requests of one read batch, which the caller reuses once this returns
	 */
	void serve(List<Frame> requests, Session session) {
		List<Frame> now = holdOrRefuse(requests, session);
		if (!now.isEmpty()) {
			run(now, session);
		}
	}

	/**
	 * Holds or refuses the requests that must not run now, and returns those that may.
	 */
	private List<Frame> holdOrRefuse(List<Frame> requests, Session session) {
		List<Frame> refused;
		synchronized (this.held) {
			if (!this.refusing && !this.holding && this.held.isEmpty()) {
				return requests;
			}
			if (!this.refusing) {
				Quiesce bounds = this.context.settings().quiesce();
				List<Frame> busy = new ArrayList<>();
				for (Frame request : requests) {
					long bytes = request.payload().length;
					if (this.held.size() < bounds.maxQueued() && this.heldBytes + bytes <= bounds.maxQueuedBytes()) {
						this.held.add(new Held(request, session));
						this.heldBytes += bytes;
					}
					else {
						busy.add(request);
					}
				}
				busy.forEach((request) -> answerUnrun(request, session, RemoteRequestException.Reason.BUSY,
						"endpoint '" + this.context.endpointName() + "' is quiesced and holds as many requests as "
								+ "quiesce.max-queued (" + bounds.maxQueued() + ") and quiesce.max-queued-bytes ("
								+ bounds.maxQueuedBytes() + ") allow; this one did not run"));
				return List.of();
			}
			refused = requests;
		}
		refused.forEach((request) -> shuttingDown(request, session));
		return List.of();
	}

	private void shuttingDown(Frame request, Session session) {
		answerUnrun(request, session, RemoteRequestException.Reason.SHUTTING_DOWN,
				"endpoint '" + this.context.endpointName() + "' is stopping; this request did not run");
	}

	/**
	 * Answers a request with an error that says it did not run. The answer is kept like any other, so a copy of the
	 * request gets the same answer and never runs either; the peer sends it again as a new request.
	 */
	private void answerUnrun(Frame request, Session session, RemoteRequestException.Reason reason, String text) {
		Frame reply = new ErrorReply(reason, text).toFrame(request.id());
		session.served().complete(request.id(), reply);
		this.context.observe(this.observations, Direction.INBOUND, Outcome.REJECTED, 0);
		this.inbound.send(reply, session);
	}

	/**
	 * Holds the peer's new requests from now on (this side quiesced).
	 * @param session the current session
	 * @return the last request id of that session handed to a handler: the id a {@code QUIESCE} carries
	 */
	long hold(Session session) {
		synchronized (this.held) {
			this.holding = true;
		}
		return lastTaken(session);
	}

	/**
	 * The last request id of a session handed to a handler.
	 * @param session the session
	 * @return the id, or 0 if none was in that session
	 */
	long lastTaken(Session session) {
		Taken taken = this.lastTaken;
		return (taken.session == session) ? taken.id : 0;
	}

	/**
	 * Runs the held requests in the order they arrived, then the new ones as they come (this side resumed).
	 * @return how many were held
	 */
	int resume() {
		int waiting;
		synchronized (this.held) {
			if (!this.holding) {
				return 0;
			}
			this.holding = false;
			waiting = this.held.size();
		}
		if (waiting > 0) {
			drainHeld();
		}
		return waiting;
	}

	/**
	 * Takes requests from the head of the held queue on as many handler threads as there are, at most one per held
	 * request: with one handler thread they run strictly in arrival order, with more they start in that order.
	 */
	private void drainHeld() {
		Executor executor = this.context.transport().handlerExecutor();
		int tasks;
		synchronized (this.held) {
			tasks = Math.min(this.held.size(), Math.max(1, this.context.transport().handlerThreads()));
		}
		int started = 0;
		for (int i = 0; i < tasks; i++) {
			try {
				executor.execute(this::runHeld);
				started++;
			}
			catch (RejectedExecutionException ex) {
				break;
			}
		}
		if (started == 0) {
			for (Held next = nextHeld(); next != null; next = nextHeld()) {
				answerUnrun(next.request, next.session, RemoteRequestException.Reason.BUSY,
						"endpoint '" + this.context.endpointName() + "' is busy: its handler queue is full");
			}
		}
	}

	private void runHeld() {
		for (Held next = nextHeld(); next != null; next = nextHeld()) {
			if (this.states.session() == next.session) {
				// A request of a session that ended meanwhile is not run: nobody awaits its answer.
				taken(next.request, next.session);
				serve(next.request, next.session);
			}
		}
	}

	private @Nullable Held nextHeld() {
		synchronized (this.held) {
			if (this.holding || this.refusing) {
				return null;
			}
			Held next = this.held.poll();
			if (next != null) {
				this.heldBytes -= next.request.payload().length;
			}
			return next;
		}
	}

	/**
	 * Answers every held request, and from now on every new one, {@code SHUTTING_DOWN}: the link is closing, and none
	 * of them runs.
	 */
	void refuse() {
		List<Held> refused;
		synchronized (this.held) {
			this.refusing = true;
			refused = new ArrayList<>(this.held);
			this.held.clear();
			this.heldBytes = 0;
		}
		refused.forEach((held) -> shuttingDown(held.request, held.session));
	}

	/** Forgets the held requests: their session ended, and nobody awaits their answers. */
	void dropHeld() {
		synchronized (this.held) {
			this.held.clear();
			this.heldBytes = 0;
		}
	}

	/**
	 * How many of the peer's requests are held now.
	 * @return the number
	 */
	int heldCount() {
		synchronized (this.held) {
			return this.held.size();
		}
	}

	private void run(List<Frame> requests, Session session) {
		long highest = 0;
		for (Frame request : requests) {
			highest = Math.max(highest, request.id());
			counted(request);
		}
		// Before any of them runs, as for a single one: a QUIESCE read next says they are served.
		takenUpTo(highest, session);
		if (this.context.handlerRunsInline()) {
			// A handler that never blocks answers here, on the event loop that read the requests: no hand-off.
			for (Frame request : requests) {
				serve(request, session);
			}
			return;
		}
		Executor executor = this.context.transport().handlerExecutor();
		int tasks = Math.min(requests.size(), Math.max(1, this.context.transport().handlerThreads()));
		int chunk = (requests.size() + tasks - 1) / tasks;
		List<Frame> batch = List.copyOf(requests);
		for (int from = 0; from < batch.size(); from += chunk) {
			List<Frame> part = batch.subList(from, Math.min(batch.size(), from + chunk));
			try {
				executor.execute(() -> part.forEach((request) -> serve(request, session)));
			}
			catch (RejectedExecutionException ex) {
				part.forEach((request) -> rejectBusy(request, session));
			}
		}
	}

	private void rejectBusy(Frame request, Session session) {
		rejectBusy(request, session, "endpoint '" + this.context.endpointName() + "' is busy: its handler queue is full");
	}

	private void rejectBusy(Frame request, Session session, String text) {
		answered(request);
		session.served().abandon(request.id());
		this.inbound.send(new ErrorReply(RemoteRequestException.Reason.BUSY, text).toFrame(request.id()), session);
	}

	/**
	 * Runs one request's handler. A handler that answers later ({@link RequestHandler#handleAsync}) frees the handler
	 * thread at once; the request counts as unanswered, for back-pressure and for an orderly close, until it answers.
	 */
	private void serve(Frame request, Session session) {
		long started = System.nanoTime();
		RequestKey key = keyOf(request);
		if (key != null && answeredFromStore(request, session, key, started)) {
			return;
		}
		IncomingRequest incoming = new IncomingRequest(this.context.endpointName(), this.linkId, request.id(),
				request.payload(), RequestHeaders.fromFields(request.fields()));
		// Observation.NOOP, made without a context, when observations are off.
		Observation observation = this.context.observations().inbound(incoming, this.context.role()).start();
		RequestHandler handler = this.context.handler();
		if (handler == null) {
			this.unhandled.warn(() -> this.context.logPrefix(this.linkId) + "request " + request.id()
					+ " answered NO_HANDLER: the endpoint has no request handler (no @DualSocketListener method, no "
					+ "setRequestHandler); further ones are answered the same way", null);
			Frame reply = new ErrorReply(RemoteRequestException.Reason.NO_HANDLER,
					"endpoint '" + this.context.endpointName() + "' has no request handler")
				.toFrame(request.id());
			stop(observation, reply, null);
			answer(request, session, started, reply, key);
			return;
		}
		if (!this.context.handlerAnswersLater()) {
			// The common case, without a future per request: the handler answers on this thread.
			Frame reply;
			Throwable failure = null;
			// In the observation's scope the handler's own observations and spans are its children.
			try (Observation.Scope scope = observation.openScope()) {
				reply = fitting(request, orEmpty(handler.handle(incoming)));
			}
			catch (Throwable ex) {
				failure = ex;
				reply = failed(request, ex);
			}
			stop(observation, reply, failure);
			answer(request, session, started, reply, key);
			return;
		}
		CompletionStage<byte[]> response;
		try (Observation.Scope scope = observation.openScope()) {
			response = handler.handleAsync(incoming);
		}
		catch (Throwable ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		response.whenComplete((payload, failure) -> {
			Frame reply = (failure == null) ? fitting(request, orEmpty(payload)) : failed(request, failure);
			stop(observation, reply, failure);
			answer(request, session, started, reply, key);
		});
	}

	/**
	 * The key of a request that this endpoint runs at most once across sessions and instances (section 6.6 of the
	 * protocol): one that carries a key, on an endpoint with a shared store.
	 */
	private @Nullable RequestKey keyOf(Frame request) {
		if (this.context.servedRequestStore() == null) {
			return null;
		}
		byte[] key = request.fields().get(RequestFields.REQUEST_KEY);
		return (key != null) ? RequestKey.fromBytes(key) : null;
	}

	/**
	 * Claims a keyed request in the shared store before it runs; one claimed before (here, or by another instance
	 * before it took over) is answered from the store, or {@code DUPLICATE_EXPIRED} if it has no answer there: it may
	 * have run. A store that cannot be reached runs nothing: the request is answered {@code BUSY}, and sent again.
	 * @return whether the request was answered without running
	 */
	private boolean answeredFromStore(Frame request, Session session, RequestKey key, long started) {
		ServedRequestStore store = Objects.requireNonNull(this.context.servedRequestStore());
		StoredAnswer known;
		try {
			known = store.claim(this.linkId, key);
		}
		catch (RuntimeException ex) {
			this.storeFailures.warn(() -> this.context.logPrefix(this.linkId) + "the store of served requests could "
					+ "not be reached (" + ex + "); request " + request.id() + " did not run and is answered BUSY, "
					+ "so that the peer sends it again", null);
			rejectBusy(request, session, "endpoint '" + this.context.endpointName() + "' cannot reach its store of "
					+ "served requests; this request did not run");
			return true;
		}
		if (known == null) {
			this.runningHere.put(key, new CompletableFuture<>());
			return false;
		}
		CompletableFuture<Frame> running = (known.kind() == StoredAnswer.Kind.IN_DOUBT) ? this.runningHere.get(key)
				: null;
		if (running != null) {
			// Its handler still runs here, for a session that ended: this copy gets its answer.
			running.thenAccept((answer) -> answer(request, session, started,
					new Frame(answer.type(), request.id(), answer.payload()), null));
			return true;
		}
		Frame reply = switch (known.kind()) {
			case RESPONSE -> Frame.response(request.id(), known.payload());
			case ERROR -> new Frame(FrameType.ERROR, request.id(), known.payload());
			case IN_DOUBT -> new ErrorReply(RemoteRequestException.Reason.DUPLICATE_EXPIRED, "request " + request.id()
					+ " was taken before, by this instance or another of endpoint '" + this.context.endpointName()
					+ "', and has no stored answer: it may have run, and was not run again").toFrame(request.id());
		};
		answer(request, session, started, reply, null);
		return true;
	}

	private static byte[] orEmpty(byte @Nullable [] payload) {
		return (payload != null) ? payload : new byte[0];
	}

	/** Ends a request's observation when its answer is made: for a handler that answers later, when it answers. */
	private static void stop(Observation observation, Frame reply, @Nullable Throwable failure) {
		if (observation == Observation.NOOP) {
			return;
		}
		if (observation.getContext() instanceof InboundRequestContext context) {
			context.setOutcome((reply.type() == FrameType.RESPONSE) ? Outcome.SUCCESS : Outcome.ERROR);
		}
		if (failure != null) {
			observation.error((failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure);
		}
		observation.stop();
	}

	private Frame failed(Frame request, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (logger.isDebugEnabled()) {
			logger.debug(this.context.logPrefix(this.linkId) + "handler failed for request " + request.id(), cause);
		}
		if (cause instanceof RequestFailedException refused) {
			return new ErrorReply(refused.getReason(), shortened(String.valueOf(refused.getMessage())))
				.toFrame(request.id());
		}
		return new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED,
				shortened(cause.getClass().getSimpleName() + ": " + cause.getMessage()))
			.toFrame(request.id());
	}

	private void answer(Frame request, Session session, long started, Frame reply, @Nullable RequestKey key) {
		if (key != null) {
			// Stored before it is sent: an answer the peer may have read is always in the store for the instance that
			// takes over. Should storing fail, the claim stays without an answer and a copy is never run again.
			try {
				Objects.requireNonNull(this.context.servedRequestStore()).complete(this.linkId, key,
						new StoredAnswer((reply.type() == FrameType.RESPONSE) ? StoredAnswer.Kind.RESPONSE
								: StoredAnswer.Kind.ERROR, reply.payload()));
			}
			catch (RuntimeException ex) {
				this.storeFailures.warn(() -> this.context.logPrefix(this.linkId) + "the answer of request "
						+ request.id() + " could not be stored (" + ex + "); a copy sent after a failover is answered "
						+ "DUPLICATE_EXPIRED", null);
			}
			CompletableFuture<Frame> waiting = this.runningHere.remove(key);
			if (waiting != null) {
				waiting.complete(reply);
			}
		}
		this.context.observe(this.observations, Direction.INBOUND,
				(reply.type() == FrameType.RESPONSE) ? Outcome.SUCCESS : Outcome.ERROR, System.nanoTime() - started);
		session.served().complete(request.id(), reply);
		// If the inbound socket is down now, the peer sends the request again and gets this reply from the cache. If
		// the session has ended, the reply goes nowhere: no connection of a later session ever carries it.
		this.inbound.send(reply, session);
		answered(request);
		this.served.run();
	}

	private void taken(Frame request, Session session) {
		takenUpTo(request.id(), session);
		counted(request);
	}

	/** Records the highest request id of a session handed to a handler, for a batch at once. */
	private void takenUpTo(long id, Session session) {
		Taken last = this.lastTaken;
		if (last.session != session || last.id < id) {
			this.lastTaken = new Taken(session, id);
		}
	}

	/** Counts a request as unanswered, and pauses reading above the bounds. */
	private void counted(Frame request) {
		int running = this.runningHandlers.incrementAndGet();
		long bytes = this.unansweredBytes.addAndGet(request.payload().length);
		if (running > UNANSWERED_HIGH || bytes > UNANSWERED_BYTES_HIGH) {
			pauseReading(true);
		}
	}

	private void answered(Frame request) {
		int running = this.runningHandlers.decrementAndGet();
		long bytes = this.unansweredBytes.addAndGet(-request.payload().length);
		if (running < UNANSWERED_LOW && bytes < UNANSWERED_BYTES_HIGH / 2) {
			pauseReading(false);
		}
	}

	private void pauseReading(boolean full) {
		if (this.unansweredFull == full) {
			return;
		}
		this.unansweredFull = full;
		Channel channel = this.inbound.channel();
		if (channel != null) {
			BackPressureHandler.unansweredFull(channel, () -> this.unansweredFull);
		}
	}

	/**
	 * The response, or an error in its place when it does not fit in max-frame-size: such a frame would be refused
	 * by the peer, and re-sent from the duplicate cache on every retry, so that the request would never complete.
	 */
	private Frame fitting(Frame request, byte[] response) {
		int maxFrameSize = this.context.settings().maxFrameSize();
		if (Frame.HEADER_LENGTH + response.length <= maxFrameSize) {
			return Frame.response(request.id(), response);
		}
		String why = "the response of " + response.length + " bytes does not fit in max-frame-size of " + maxFrameSize
				+ " bytes";
		this.oversized.warn(() -> this.context.logPrefix(this.linkId) + why
				+ "; request " + request.id() + " is answered with an error instead", null);
		return new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED, why).toFrame(request.id());
	}

	/** An error text that fits in any frame. */
	private static String shortened(String text) {
		return (text.length() <= MAX_ERROR_TEXT) ? text : text.substring(0, MAX_ERROR_TEXT) + "...";
	}

	/** No handler is running. */
	boolean isIdle() {
		return this.runningHandlers.get() == 0;
	}

	/** A request held while quiesced, with the session it arrived in. */
	private record Held(Frame request, Session session) {
	}

	/** The highest request id handed to a handler, in a session. */
	private record Taken(@Nullable Session session, long id) {
	}

}

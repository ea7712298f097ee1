package dev.dualsocket.link;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.Limit;
import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkQuiescedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.TooManyRequestsInFlightException;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.link.LinkSettings.OwnRequests;
import dev.dualsocket.link.LinkStateMachine.Status;
import dev.dualsocket.link.OutstandingRequests.Outstanding;
import dev.dualsocket.link.RequestObserver.Direction;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.observation.OutboundRequestContext;
import dev.dualsocket.observation.RequestObservations;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The requests this side of a link sends, on its outbound socket: registers each one, sends it in the session it
 * first goes out in (and again in that session only, after the outbound socket was re-connected), completes it with
 * its answer, and fails what is left when the link is given up.
 */
final class Requester {

	private static final Log logger = LogFactory.getLog(Requester.class);

	private final LinkContext context;

	private final String linkId;

	private final LinkStateMachine states;

	private final LinkSocket outbound;

	private final OutstandingRequests outstanding;

	private final EventMailbox observations;

	private final Runnable answered;

	private final RateLimitedLog rejections = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/** A client's establishment, set once before its first attempt; {@code null} on a server's link. */
	private volatile @Nullable Establishment establishment;

	/**
	 * @param context the endpoint's shared context
	 * @param linkId the link's id
	 * @param states the link's state
	 * @param outbound the socket requests go out on
	 * @param observations where the observer hears how requests ended
	 * @param answered called after a request was answered, for an orderly close waiting for the link to drain
	 */
	Requester(LinkContext context, String linkId, LinkStateMachine states, LinkSocket outbound,
			EventMailbox observations, Runnable answered) {
		this.context = context;
		this.linkId = linkId;
		this.states = states;
		this.outbound = outbound;
		this.observations = observations;
		this.answered = answered;
		this.outstanding = new OutstandingRequests(context.transport().timer(), context.settings().requestTimeout(),
				"link '" + linkId + "' of endpoint '" + context.endpointName() + "'",
				(request, outcome) -> observe(outcome, request.elapsedNanos()));
		this.outstanding.startExpiring(() -> states.state() != LinkState.CLOSED);
	}

	CompletableFuture<byte[]> request(byte[] payload) {
		return request(RequestHeaders.NONE, payload);
	}

	/**
	 * Sends a request with header fields (section 2.1 of the protocol), which a version-1 connection leaves out.
	 */
	CompletableFuture<byte[]> request(RequestHeaders headers, byte[] payload) {
		RequestObservations observations = this.context.observations();
		if (observations.isOff()) {
			return submit(headers, payload, null);
		}
		// Started on the caller's thread, so that the caller's current observation is its parent; starting it writes
		// the trace context into the context, from which it goes into the header fields.
		OutboundRequestContext observed = new OutboundRequestContext(this.context.endpointName(), this.context.role(),
				this.linkId, headers);
		Observation observation = observations.outbound(observed).start();
		CompletableFuture<byte[]> future = submit(observed.headers(), payload, observed);
		future.whenComplete((response, failure) -> {
			observed.setOutcome(outcomeOf(failure));
			// Stopped on the event threads, as the request observer is told: the answer completes the future on an
			// I/O thread, where no observation handler may run.
			this.observations.post(() -> {
				if (failure != null) {
					observation.error(failure);
				}
				observation.stop();
			});
		});
		return future;
	}

	private static Outcome outcomeOf(@Nullable Throwable failure) {
		if (failure == null) {
			return Outcome.SUCCESS;
		}
		if (failure instanceof RequestTimeoutException) {
			return Outcome.TIMEOUT;
		}
		if (failure instanceof LinkDisconnectedException) {
			return Outcome.DISCONNECTED;
		}
		if (failure instanceof TooManyRequestsInFlightException || failure instanceof LinkQuiescedException
				|| failure instanceof IllegalArgumentException) {
			return Outcome.REJECTED;
		}
		return Outcome.ERROR;
	}

	private CompletableFuture<byte[]> submit(RequestHeaders headers, byte[] payload,
			@Nullable OutboundRequestContext observed) {
		int maxFrameSize = this.context.settings().maxFrameSize();
		if (Frame.HEADER_LENGTH + payload.length > maxFrameSize) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("A request payload of " + payload.length
					+ " bytes does not fit in max-frame-size of " + maxFrameSize + " bytes"));
		}
		Status status = this.states.status();
		String refused = refusal(status);
		if (refused != null) {
			observe(Outcome.DISCONNECTED, 0);
			return CompletableFuture.failedFuture(new LinkDisconnectedException(refused));
		}
		if (status.quiescedHere() && this.context.settings().quiesce().ownRequests() == OwnRequests.FAIL) {
			observe(Outcome.REJECTED, 0);
			return CompletableFuture.failedFuture(new LinkQuiescedException("Link '" + this.linkId + "' of endpoint '"
					+ this.context.endpointName() + "' is quiesced and quiesce.own-requests is 'fail': the request "
					+ "was not sent; resume the link, or set quiesce.own-requests to 'wait' to hold requests instead"));
		}
		int limit = this.context.settings().maxRequestsInFlight();
		if (this.outstanding.size() >= limit) {
			// A bound, not an exact count: callers racing past it overshoot by at most their number.
			observe(Outcome.REJECTED, 0);
			String why = "Link '" + this.linkId + "' of endpoint '" + this.context.endpointName() + "' already has "
					+ limit + " requests awaiting their answers (max-requests-in-flight); this one was not sent";
			this.rejections.warn(() -> why + ". Further rejections are counted as outcome 'rejected'", null);
			// Beside the 'rejected' observation rather than among the link's events: a caller hammering a full link
			// could otherwise crowd the link's state changes out of its bounded mailbox.
			this.context.publish(this.observations, new LimitExceededEvent(this.context.endpointName(), this.linkId,
					null, Limit.REQUESTS_IN_FLIGHT, why, this.context.now()));
			return CompletableFuture.failedFuture(new TooManyRequestsInFlightException(why));
		}
		Outstanding request = this.outstanding.register(payload, headers.toFields());
		if (observed != null) {
			observed.setRequestId(request.id());
		}
		// Read after registering: if a disconnect comes later, it fails this request. Until the link is established
		// nothing is sent; completing the establishment sends it. While the outbound socket is down the request
		// waits: attaching the socket in this session sends it.
		Status current = this.states.status();
		if (current.isEstablished()) {
			send(request, current.session());
		}
		Status after = this.states.status();
		String late = after.acceptsRequests() ? null : refusal(after);
		if (late != null) {
			// Lost a race with a disconnect that failed the outstanding requests before this one was registered. If it
			// went out meanwhile, it may have run: the message must not say it was not sent.
			this.outstanding.fail(request.id(), new LinkDisconnectedException(request.isUnsent() ? late
					: "Link '" + this.linkId + "' of endpoint '" + this.context.endpointName() + "' went "
							+ after.state() + " as the request was sent (" + after.cause() + "): it may or may not have run"));
		}
		return request.future();
	}

	<T> CompletableFuture<T> request(Object payload, Class<T> responseType) {
		return request(MessageTypes.of(payload), payload, responseType);
	}

	<T> CompletableFuture<T> request(@Nullable String messageType, Object payload, Class<T> responseType) {
		PayloadCodec codec = this.context.codec();
		byte[] bytes;
		try {
			bytes = codec.encode(payload);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		RequestHeaders headers;
		try {
			headers = RequestHeaders.ofType(messageType);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return request(headers, bytes).thenApply((response) -> responseType.cast(codec.decode(response, responseType)));
	}

	/**
	 * Sends a request in a session, the first it is sent in; a request is never sent in two sessions, so its answer
	 * can only come from the session it ran in.
	 */
	private void send(Outstanding request, Session session) {
		if (request.isUnsent() && this.states.status().quiescedHere()) {
			return; // quiesced with quiesce.own-requests=wait: it goes out on resuming, or times out
		}
		if (request.sendIn(session)) {
			this.outbound.send(request.frame(), session);
		}
	}

	/**
	 * Why a request made in a status fails at once instead of being taken, in a sentence naming the link.
	 * @return the reason, or {@code null} to take the request (it goes out now, or waits for the link)
	 */
	private @Nullable String refusal(Status status) {
		Establishment establishment = this.establishment;
		LinkState state = status.state();
		String why;
		if (establishment != null && (state == LinkState.CONNECTING || state == LinkState.DISCONNECTED)) {
			why = establishment.refusal(status);
		}
		else if (status.acceptsRequests()) {
			why = null;
		}
		else if (state == LinkState.DISCONNECTED) {
			why = "is not connected: not sent: it is DISCONNECTED (" + status.cause() + ")";
		}
		else {
			why = "takes no requests: " + (status.peerClosing() ? "the peer is shutting down"
					: "it is " + state + " (" + status.cause() + ")");
		}
		return (why != null) ? "Link '" + this.linkId + "' of endpoint '" + this.context.endpointName() + "' " + why
				: null;
	}

	/**
	 * A client's establishment, which says when requests fail at once because the link is not connected, and why.
	 * @param establishment the link's establishment
	 */
	void establishedBy(Establishment establishment) {
		this.establishment = establishment;
	}

	/**
	 * A client's attempts to establish the link.
	 * @return them, or {@code null} on a server's link
	 */
	@Nullable ConnectAttempts connectAttempts() {
		Establishment establishment = this.establishment;
		return (establishment != null) ? establishment.attempts() : null;
	}

	/**
	 * How a client's link gets connected, as far as its requests care.
	 */
	interface Establishment {

		/**
		 * Whether a request made while the link is {@code CONNECTING} or {@code DISCONNECTED} fails at once.
		 * @param status the link's status, in one of those states
		 * @return why, after the link's name (for example {@code "is not connected: not sent: ..."}), or {@code null}
		 * to take the request: it waits for the link, bounded by the request timeout
		 */
		@Nullable String refusal(Status status);

		/**
		 * Whether the attempts to establish the link gave up: no next session comes until a reconnect is requested.
		 * @return whether they did
		 */
		boolean hasGivenUp();

		/**
		 * The attempts to establish the link so far.
		 * @return the attempts of the current series
		 */
		ConnectAttempts attempts();

	}

	/** An answer arrived on an outbound connection of the given session (on its event loop). */
	void onResponse(Frame frame, Session session) {
		Outstanding request = this.outstanding.removeAnsweredIn(frame.id(), session);
		if (request == null) {
			// A second answer to a request sent twice around a socket failure, one that already timed out, or an
			// answer on a connection of another session than the request's.
			return;
		}
		if (frame.type() == FrameType.ERROR && busy(frame)) {
			retryLater(request);
			return;
		}
		if (frame.type() == FrameType.RESPONSE) {
			observe(Outcome.SUCCESS, request.elapsedNanos());
			request.future().complete(frame.payload());
		}
		else {
			observe(Outcome.ERROR, request.elapsedNanos());
			request.future().completeExceptionally(ErrorReply.fromFrame(frame).toException());
		}
		this.answered.run();
	}

	private static boolean busy(Frame error) {
		try {
			return ErrorReply.fromFrame(error).reason() == RemoteRequestException.Reason.BUSY;
		}
		catch (RuntimeException ex) {
			return false; // not a well-formed error: it completes the request as a failure below
		}
	}

	/**
	 * The peer answered {@code BUSY}: the request did not run (it is quiesced, or its handlers are full). It goes out
	 * again as a new request, with a new id, after {@link #BUSY_FIRST_WAIT_MILLIS} doubling up to
	 * {@link #BUSY_MAX_WAIT_MILLIS}, until its own deadline; its caller sees only the final answer.
	 */
	private void retryLater(Outstanding busy) {
		Outstanding retry = this.outstanding.registerRetry(busy);
		long wait = Math.min(BUSY_MAX_WAIT_MILLIS, BUSY_FIRST_WAIT_MILLIS << Math.min(busy.busyAnswers(), 16));
		this.context.transport().timer().newTimeout((timeout) -> {
			Status current = this.states.status();
			if (this.outstanding.isAwaited(retry) && current.isEstablished()) {
				send(retry, current.session());
			}
			// Not established now: establishing or re-attaching the outbound socket sends it.
		}, wait, TimeUnit.MILLISECONDS);
	}

	/** The first wait before a request answered BUSY goes out again; it doubles with each further BUSY. */
	static final long BUSY_FIRST_WAIT_MILLIS = 20;

	/** The longest wait before a request answered BUSY goes out again. */
	static final long BUSY_MAX_WAIT_MILLIS = 1000;

	/** The lowest request id still awaited, which the outbound heartbeats tell the peer. */
	long lowWatermark() {
		return this.outstanding.lowWatermark();
	}

	/**
	 * Sends the outstanding requests that belong to a session or to none yet, in id order: those whose outbound
	 * connection failed go out again under the same id, those made while connecting go out for the first time.
	 */
	void sendOutstanding(Session session) {
		List<Outstanding> waiting = this.outstanding.inIdOrder();
		if (waiting.isEmpty()) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug(this.context.logPrefix(this.linkId) + "sending "
					+ waiting.size() + " outstanding request(s) on the outbound socket");
		}
		for (Outstanding request : waiting) {
			if (request.isKeyed() && request.isUnsent() && !session.keepsAnswers()) {
				// Carried from a session whose server keeps answers to one whose server does not: it would run again
				// if it had run there, so it fails, as any request of an ended session does.
				this.outstanding.fail(request.id(), new LinkDisconnectedException("Link '" + this.linkId
						+ "' of endpoint '" + this.context.endpointName() + "' ended the session request " + request.id()
						+ " was sent in, and the server of the new session keeps no answers across sessions: it may "
						+ "or may not have run"));
				continue;
			}
			send(request, session);
		}
	}

	/**
	 * The session ended (the link disconnected): every request awaiting an answer fails with a
	 * {@link LinkDisconnectedException}, but for a client's keyed requests (section 6.6 of the protocol) unless its
	 * establishment gave up: they wait for the next session, bounded by their timeout, and go out in it if its server
	 * keeps answers too.
	 * @param why the end of a sentence that follows the link's name
	 */
	void sessionEnded(String why) {
		Establishment establishment = this.establishment;
		if (establishment == null || establishment.hasGivenUp()) {
			failAll(why);
			return;
		}
		int carried = 0;
		for (Outstanding request : this.outstanding.inIdOrder()) {
			if (request.carryToNextSession()) {
				carried++;
			}
			else {
				this.outstanding.fail(request.id(), new LinkDisconnectedException(
						"Link '" + this.linkId + "' of endpoint '" + this.context.endpointName() + "' " + why));
			}
		}
		if (carried > 0) {
			logger.info(this.context.logPrefix(this.linkId) + carried + " request(s) awaiting their answers go out in "
					+ "the next session, under their keys: the server keeps answers across sessions, so none runs twice");
		}
	}

	/**
	 * Fails the outstanding requests that went out, for a protocol that cannot re-send them safely; those not yet sent
	 * stay.
	 * @param why the end of a sentence that follows the request's name
	 */
	void failSent(String why) {
		for (Outstanding request : this.outstanding.inIdOrder()) {
			if (!request.isUnsent()) {
				this.outstanding.fail(request.id(), new LinkDisconnectedException("Request " + request.id() + " on link '"
						+ this.linkId + "' of endpoint '" + this.context.endpointName() + "' " + why));
			}
		}
	}

	/** Fails every outstanding request at once with a {@link LinkDisconnectedException} saying why. */
	void failAll(String why) {
		this.outstanding.failAll(() -> new LinkDisconnectedException(
				"Link '" + this.linkId + "' of endpoint '" + this.context.endpointName() + "' " + why));
	}

	boolean isIdle() {
		return this.outstanding.isEmpty();
	}

	int outstanding() {
		return this.outstanding.size();
	}

	private void observe(Outcome outcome, long nanos) {
		this.context.observe(this.observations, Direction.OUTBOUND, outcome, nanos);
	}

}

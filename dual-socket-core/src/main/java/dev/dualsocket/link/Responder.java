package dev.dualsocket.link;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.link.RequestObserver.Direction;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.BackPressureHandler;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The requests the peer sends on this side's inbound socket: admits each one against the session's record of served
 * requests (so a request sent again is never run twice), runs the new ones on the handler pool, and answers on the
 * inbound socket of the session the request came in.
 */
final class Responder {

	private static final Log logger = LogFactory.getLog(Responder.class);

	/** Characters of a handler's exception text that go to the peer at most. */
	private static final int MAX_ERROR_TEXT = 512;

	private final RateLimitedLog oversized = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

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
			taken(request);
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
	 * a batch costs a few hand-offs instead of one each while still using every thread.
	 */
	void serve(List<Frame> requests, Session session) {
		Executor executor = this.context.transport().handlerExecutor();
		int tasks = Math.min(requests.size(), Math.max(1, this.context.transport().handlerThreads()));
		int chunk = (requests.size() + tasks - 1) / tasks;
		for (int from = 0; from < requests.size(); from += chunk) {
			List<Frame> part = requests.subList(from, Math.min(requests.size(), from + chunk));
			try {
				executor.execute(() -> part.forEach((request) -> serve(request, session)));
			}
			catch (RejectedExecutionException ex) {
				part.forEach((request) -> rejectBusy(request, session));
			}
		}
	}

	private void rejectBusy(Frame request, Session session) {
		answered(request);
		session.served().abandon(request.id());
		this.inbound.send(new ErrorReply(RemoteRequestException.Reason.BUSY,
				"endpoint '" + this.context.endpointName() + "' is busy: its handler queue is full")
			.toFrame(request.id()), session);
	}

	private void serve(Frame request, Session session) {
		long started = System.nanoTime();
		Frame reply;
		RequestHandler handler = this.context.handler();
		if (handler == null) {
			reply = new ErrorReply(RemoteRequestException.Reason.NO_HANDLER,
					"endpoint '" + this.context.endpointName() + "' has no request handler")
				.toFrame(request.id());
		}
		else {
			try {
				byte[] response = handler
					.handle(new IncomingRequest(this.context.endpointName(), this.linkId, request.id(), request.payload()));
				reply = fitting(request, response);
			}
			catch (Throwable ex) {
				if (logger.isDebugEnabled()) {
					logger.debug(this.context.logPrefix(this.linkId)
							+ "': handler failed for request " + request.id(), ex);
				}
				reply = new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED,
						shortened(ex.getClass().getSimpleName() + ": " + ex.getMessage()))
					.toFrame(request.id());
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

	private void taken(Frame request) {
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

}

package dev.dualsocket.link;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.support.RateLimitedLog;
import org.apache.commons.logging.LogFactory;

/**
 * Told how every request ended; for metrics. Called on the engine's event threads, never on an I/O thread or under a
 * lock, a little after the request ended; one that throws is logged at WARN and changes nothing. It runs once per
 * request, so it should be cheap: one that falls far behind has observations dropped (with a WARN), never the
 * requests themselves slowed.
 */
public interface RequestObserver {

	/** Observes nothing. */
	RequestObserver NONE = (endpoint, direction, outcome, nanos) -> {
	};

	/**
	 * A request ended.
	 * @param endpoint the endpoint's name
	 * @param direction {@link Direction#OUTBOUND} for a request this side sent, {@link Direction#INBOUND} for one it
	 * answered
	 * @param outcome how it ended
	 * @param nanos how long it took: from sending to the response (outbound), or the handler's run (inbound)
	 */
	void requestCompleted(String endpoint, Direction direction, Outcome outcome, long nanos);

	/**
	 * One observer that tells each of several in turn; one that throws is logged at WARN and the others are still
	 * told.
	 * @param observers the observers, in the order they are told
	 * @return the composite ({@link #NONE} for none)
	 */
	static RequestObserver of(List<? extends RequestObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		List<RequestObserver> all = List.copyOf(observers);
		RateLimitedLog failures = new RateLimitedLog(LogFactory.getLog(RequestObserver.class), 10, TimeUnit.SECONDS);
		return (endpoint, direction, outcome, nanos) -> {
			for (RequestObserver observer : all) {
				try {
					observer.requestCompleted(endpoint, direction, outcome, nanos);
				}
				catch (RuntimeException | Error ex) {
					failures.warn(() -> "Request observer " + observer + " threw " + ex
							+ "; requests are not affected and the other observers are still told", ex);
				}
			}
		};
	}

	/**
	 * Which way a request went.
	 */
	enum Direction {

		/** Sent by this side. */
		OUTBOUND,

		/** Answered by this side. */
		INBOUND;

		public String label() {
			return (this == OUTBOUND) ? "outbound" : "inbound";
		}

	}

	/**
	 * How a request ended.
	 */
	enum Outcome {

		/** Answered with a response. */
		SUCCESS,

		/** Answered with an error (the handler threw, no handler, busy). */
		ERROR,

		/** No answer within the request timeout. */
		TIMEOUT,

		/** The link was or went down. */
		DISCONNECTED,

		/** Not sent: the link already had {@code max-requests-in-flight} requests awaiting their answers. */
		REJECTED;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}

package dev.dualsocket.link;

/**
 * Told how every request ended, on the thread that ended it; for metrics. Must be cheap: it runs once per request.
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
		DISCONNECTED;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}

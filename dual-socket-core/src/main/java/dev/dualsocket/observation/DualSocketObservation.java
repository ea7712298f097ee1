package dev.dualsocket.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of dual-socket requests: their names, conventions and keys.
 */
public enum DualSocketObservation implements ObservationDocumentation {

	/**
	 * A request this side sends on a link's outbound socket, from the call of {@code request} until its response,
	 * error, timeout or failure. Its context writes the trace context into the request's header fields.
	 */
	OUTBOUND_REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultOutboundRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.ENDPOINT, LowCardinalityKeyNames.ROLE,
					LowCardinalityKeyNames.MESSAGE_TYPE, LowCardinalityKeyNames.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.LINK_ID, HighCardinalityKeyNames.REQUEST_ID };
		}

	},

	/**
	 * A request the peer sent that this side's handler runs, from taking it to the handler until its answer: for a
	 * handler that answers later ({@code handleAsync}), until its stage completes. Its context reads the trace context
	 * from the request's header fields. Requests answered without running (quiesced, busy, stopping) have none.
	 */
	INBOUND_REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultInboundRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.ENDPOINT, LowCardinalityKeyNames.ROLE,
					LowCardinalityKeyNames.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.LINK_ID, HighCardinalityKeyNames.REQUEST_ID,
					HighCardinalityKeyNames.MESSAGE_TYPE };
		}

	};

	/**
	 * Keys of few values, which become meter tags and span tags.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The endpoint's name, as configured under {@code dual-socket.endpoints}. */
		ENDPOINT {
			@Override
			public String asString() {
				return "dualsocket.endpoint";
			}
		},

		/** The endpoint's role: {@code client} or {@code server}. */
		ROLE {
			@Override
			public String asString() {
				return "dualsocket.role";
			}
		},

		/**
		 * The request's message type (section 2.1 of the protocol), {@code none} without one. Low cardinality only on
		 * the sending side, which chooses it; on the receiving side the peer does, so it is a high-cardinality key
		 * there (a convention of one's own may move it).
		 */
		MESSAGE_TYPE {
			@Override
			public String asString() {
				return "dualsocket.message.type";
			}
		},

		/**
		 * How the request ended: {@code success}, {@code error}, {@code timeout}, {@code disconnected} or
		 * {@code rejected} (outbound), {@code success} or {@code error} (inbound).
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "dualsocket.outcome";
			}
		}

	}

	/**
	 * Keys of many values, which become span tags only.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The link's id. */
		LINK_ID {
			@Override
			public String asString() {
				return "dualsocket.link.id";
			}
		},

		/** The request's id within the link's session ({@code 0} for a request refused before it had one). */
		REQUEST_ID {
			@Override
			public String asString() {
				return "dualsocket.request.id";
			}
		},

		/** The message type of a request the peer sent, {@code none} without one. */
		MESSAGE_TYPE {
			@Override
			public String asString() {
				return "dualsocket.message.type";
			}
		}

	}

}

package dev.dualsocket.observation;

import java.util.Locale;

import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.observation.DualSocketObservation.HighCardinalityKeyNames;
import dev.dualsocket.observation.DualSocketObservation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link OutboundRequestObservationConvention}: name {@value #NAME}, contextual name
 * {@code "<endpoint> send"}, low-cardinality keys endpoint, role, message type and outcome, high-cardinality keys
 * link id and request id (see {@link DualSocketObservation#OUTBOUND_REQUEST}). Extend it to add keys.
 */
public class DefaultOutboundRequestObservationConvention implements OutboundRequestObservationConvention {

	/** The observation's name, and so the name of the timer a meter handler makes of it. */
	public static final String NAME = "dualsocket.request.outbound";

	/** A shared instance. */
	public static final DefaultOutboundRequestObservationConvention INSTANCE = new DefaultOutboundRequestObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(OutboundRequestContext context) {
		return context.getEndpoint() + " send";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(OutboundRequestContext context) {
		Outcome outcome = context.getOutcome();
		String messageType = context.getMessageType();
		return KeyValues.of(KeyValue.of(LowCardinalityKeyNames.ENDPOINT, context.getEndpoint()),
				KeyValue.of(LowCardinalityKeyNames.ROLE, context.getRole().name().toLowerCase(Locale.ROOT)),
				KeyValue.of(LowCardinalityKeyNames.MESSAGE_TYPE, (messageType != null) ? messageType : KeyValue.NONE_VALUE),
				KeyValue.of(LowCardinalityKeyNames.OUTCOME, (outcome != null) ? outcome.label() : KeyValue.NONE_VALUE));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(OutboundRequestContext context) {
		return KeyValues.of(KeyValue.of(HighCardinalityKeyNames.LINK_ID, context.getLinkId()),
				KeyValue.of(HighCardinalityKeyNames.REQUEST_ID, Long.toString(context.getRequestId())));
	}

}

package dev.dualsocket.observation;

import java.util.Locale;

import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.observation.DualSocketObservation.HighCardinalityKeyNames;
import dev.dualsocket.observation.DualSocketObservation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link InboundRequestObservationConvention}: name {@value #NAME}, contextual name
 * {@code "<endpoint> handle"}, low-cardinality keys endpoint, role and outcome, high-cardinality keys link id, request
 * id and message type (see {@link DualSocketObservation#INBOUND_REQUEST}). Extend it to add keys.
 */
public class DefaultInboundRequestObservationConvention implements InboundRequestObservationConvention {

	/** The observation's name, and so the name of the timer a meter handler makes of it. */
	public static final String NAME = "dualsocket.request.inbound";

	/** A shared instance. */
	public static final DefaultInboundRequestObservationConvention INSTANCE = new DefaultInboundRequestObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(InboundRequestContext context) {
		return context.getRequest().endpoint() + " handle";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(InboundRequestContext context) {
		Outcome outcome = context.getOutcome();
		return KeyValues.of(KeyValue.of(LowCardinalityKeyNames.ENDPOINT, context.getRequest().endpoint()),
				KeyValue.of(LowCardinalityKeyNames.ROLE, context.getRole().name().toLowerCase(Locale.ROOT)),
				KeyValue.of(LowCardinalityKeyNames.OUTCOME, (outcome != null) ? outcome.label() : KeyValue.NONE_VALUE));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(InboundRequestContext context) {
		IncomingRequest request = context.getRequest();
		String messageType = request.messageType();
		return KeyValues.of(KeyValue.of(HighCardinalityKeyNames.LINK_ID, request.linkId()),
				KeyValue.of(HighCardinalityKeyNames.REQUEST_ID, Long.toString(request.requestId())),
				KeyValue.of(HighCardinalityKeyNames.MESSAGE_TYPE, (messageType != null) ? messageType : KeyValue.NONE_VALUE));
	}

}

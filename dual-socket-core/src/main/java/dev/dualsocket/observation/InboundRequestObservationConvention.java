package dev.dualsocket.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * A convention for {@link DualSocketObservation#INBOUND_REQUEST} observations; one of the application's own replaces
 * {@link DefaultInboundRequestObservationConvention} (in a Spring application: a bean of this type).
 */
public interface InboundRequestObservationConvention extends ObservationConvention<InboundRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof InboundRequestContext;
	}

}

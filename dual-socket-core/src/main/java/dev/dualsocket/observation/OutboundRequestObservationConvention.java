package dev.dualsocket.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * A convention for {@link DualSocketObservation#OUTBOUND_REQUEST} observations; one of the application's own replaces
 * {@link DefaultOutboundRequestObservationConvention} (in a Spring application: a bean of this type).
 */
public interface OutboundRequestObservationConvention extends ObservationConvention<OutboundRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof OutboundRequestContext;
	}

}

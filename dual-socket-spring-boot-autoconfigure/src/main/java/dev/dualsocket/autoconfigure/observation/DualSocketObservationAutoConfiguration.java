package dev.dualsocket.autoconfigure.observation;

import dev.dualsocket.observation.InboundRequestObservationConvention;
import dev.dualsocket.observation.OutboundRequestObservationConvention;
import dev.dualsocket.observation.RequestObservations;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Observations of every endpoint's requests through the application's {@link ObservationRegistry}, when
 * {@code dual-socket.observations.enabled} is {@code true}; with the application's
 * {@link OutboundRequestObservationConvention} and {@link InboundRequestObservationConvention} beans in place of the
 * default conventions.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty("dual-socket.observations.enabled")
@ConditionalOnBean(ObservationRegistry.class)
public final class DualSocketObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequestObservations dualSocketRequestObservations(ObservationRegistry observationRegistry,
			ObjectProvider<OutboundRequestObservationConvention> outboundConvention,
			ObjectProvider<InboundRequestObservationConvention> inboundConvention) {
		return new RequestObservations(observationRegistry, outboundConvention.getIfUnique(),
				inboundConvention.getIfUnique());
	}

}

package dev.dualsocket.autoconfigure.endpoint;

import dev.dualsocket.actuate.endpoint.DualSocketActuatorEndpoint;
import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dualsocket} actuator endpoint, when it is enabled and exposed.
 */
@AutoConfiguration(after = DualSocketAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(DualSocketActuatorEndpoint.class)
@ConditionalOnBean(DualSocketEndpointRegistry.class)
public final class DualSocketActuatorEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DualSocketActuatorEndpoint dualSocketActuatorEndpoint(DualSocketEndpointRegistry registry) {
		return new DualSocketActuatorEndpoint(registry);
	}

}

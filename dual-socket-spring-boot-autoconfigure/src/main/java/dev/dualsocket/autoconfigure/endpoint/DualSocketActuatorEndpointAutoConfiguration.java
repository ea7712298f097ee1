package dev.dualsocket.autoconfigure.endpoint;

import dev.dualsocket.actuate.endpoint.DualSocketActuatorEndpoint;
import dev.dualsocket.actuate.events.RecentLinkEvents;
import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.autoconfigure.ha.EndpointLeaderships;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dualsocket} actuator endpoint, when it is enabled and exposed.
 */
@AutoConfiguration(after = DualSocketAutoConfiguration.class,
		afterName = "dev.dualsocket.autoconfigure.ha.DualSocketHaAutoConfiguration")
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(DualSocketActuatorEndpoint.class)
@ConditionalOnBean(DualSocketEndpointRegistry.class)
public final class DualSocketActuatorEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DualSocketActuatorEndpoint dualSocketActuatorEndpoint(DualSocketEndpointRegistry registry,
			ObjectProvider<RecentLinkEvents> recentEvents, ObjectProvider<EndpointLeaderships> leaderships) {
		EndpointLeaderships ha = leaderships.getIfUnique();
		return (ha != null) ? new DualSocketActuatorEndpoint(registry, recentEvents.getIfUnique(), ha)
				: new DualSocketActuatorEndpoint(registry, recentEvents.getIfUnique());
	}

	/** Each link's recent events for {@code GET /actuator/dualsocket/{endpoint}/events}; told as a listener. */
	@Bean
	@ConditionalOnMissingBean
	RecentLinkEvents dualSocketRecentLinkEvents(ObjectProvider<DualSocketEndpointRegistry> endpoints) {
		return new RecentLinkEvents(endpoints, RecentLinkEvents.DEFAULT_CAPACITY);
	}

}

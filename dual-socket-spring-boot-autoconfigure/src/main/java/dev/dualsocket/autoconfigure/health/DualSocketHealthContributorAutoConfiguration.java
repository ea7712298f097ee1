package dev.dualsocket.autoconfigure.health;

import dev.dualsocket.actuate.health.DualSocketHealthContributor;
import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.autoconfigure.ha.EndpointLeaderships;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dualSocket} health component, unless {@code management.health.dualsocket.enabled=false}.
 */
@AutoConfiguration(after = DualSocketAutoConfiguration.class,
		afterName = "dev.dualsocket.autoconfigure.ha.DualSocketHaAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(DualSocketEndpointRegistry.class)
@ConditionalOnEnabledHealthIndicator("dualsocket")
public final class DualSocketHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "dualSocketHealthContributor")
	DualSocketHealthContributor dualSocketHealthContributor(DualSocketEndpointRegistry registry,
			ObjectProvider<EndpointLeaderships> leaderships) {
		EndpointLeaderships ha = leaderships.getIfUnique();
		return (ha != null) ? new DualSocketHealthContributor(registry, ha) : new DualSocketHealthContributor(registry);
	}

}

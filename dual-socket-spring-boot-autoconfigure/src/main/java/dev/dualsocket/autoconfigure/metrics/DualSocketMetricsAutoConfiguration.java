package dev.dualsocket.autoconfigure.metrics;

import dev.dualsocket.actuate.metrics.DualSocketMetrics;
import dev.dualsocket.actuate.metrics.LeadershipMetrics;
import dev.dualsocket.autoconfigure.DualSocketProperties;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters of dual-socket links, when the application has a Micrometer {@link MeterRegistry}.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class DualSocketMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DualSocketMetrics dualSocketMetrics(MeterRegistry meterRegistry,
			ObjectProvider<DualSocketEndpointRegistry> endpoints) {
		return new DualSocketMetrics(meterRegistry, endpoints);
	}

	@Bean
	@ConditionalOnMissingBean
	LeadershipMetrics dualSocketLeadershipMetrics(MeterRegistry meterRegistry, DualSocketProperties properties) {
		LeadershipMetrics metrics = new LeadershipMetrics(meterRegistry);
		properties.activeStandbyEndpoints().keySet().forEach(metrics::register);
		return metrics;
	}

}

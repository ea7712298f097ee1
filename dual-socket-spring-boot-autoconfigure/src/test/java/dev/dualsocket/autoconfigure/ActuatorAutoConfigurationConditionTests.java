package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.actuate.endpoint.DualSocketActuatorEndpoint;
import dev.dualsocket.actuate.health.DualSocketHealthContributor;
import dev.dualsocket.actuate.metrics.DualSocketMetrics;
import dev.dualsocket.autoconfigure.endpoint.DualSocketActuatorEndpointAutoConfiguration;
import dev.dualsocket.autoconfigure.health.DualSocketHealthContributorAutoConfiguration;
import dev.dualsocket.autoconfigure.metrics.DualSocketMetricsAutoConfiguration;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.link.RequestObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The optional parts (health, actuator endpoint, metrics): each appears when its condition holds and backs off
 * otherwise.
 */
class ActuatorAutoConfigurationConditionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class,
				DualSocketHealthContributorAutoConfiguration.class, DualSocketActuatorEndpointAutoConfiguration.class,
				DualSocketMetricsAutoConfiguration.class));

	@Test
	void healthContributorIsNamedDualSocketByDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DualSocketHealthContributor.class)
			.hasBean("dualSocketHealthContributor"));
	}

	@Test
	void healthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.dualsocket.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DualSocketHealthContributor.class));
	}

	@Test
	void healthContributorFollowsTheDefaultsSwitch() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DualSocketHealthContributor.class));
	}

	@Test
	void healthContributorNeedsSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DualSocketHealthContributor.class));
	}

	@Test
	void healthContributorOfTheApplicationTakesThePlace() {
		this.runner.withUserConfiguration(OwnHealth.class).run((context) -> {
			assertThat(context).hasSingleBean(DualSocketHealthContributor.class);
			assertThat(context.getBean("dualSocketHealthContributor")).isSameAs(OwnHealth.CONTRIBUTOR);
		});
	}

	@Test
	void actuatorEndpointOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DualSocketActuatorEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=dualsocket")
			.run((context) -> assertThat(context).hasSingleBean(DualSocketActuatorEndpoint.class));
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=dualsocket",
					"management.endpoint.dualsocket.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DualSocketActuatorEndpoint.class));
	}

	@Test
	void metricsOnlyWithAMeterRegistryAndThenTheyObserveRequests() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DualSocketMetrics.class));
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			assertThat(context).hasSingleBean(DualSocketMetrics.class);
			assertThat(context.getBean(RequestObserver.class)).isSameAs(context.getBean(DualSocketMetrics.class));
		});
	}

	@Test
	void metricsNeedMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DualSocketMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHealth {

		static final DualSocketHealthContributor CONTRIBUTOR = new DualSocketHealthContributor(
				new DualSocketEndpointRegistry(java.util.List.of()));

		@Bean
		DualSocketHealthContributor dualSocketHealthContributor() {
			return CONTRIBUTOR;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}

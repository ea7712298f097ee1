package dev.dualsocket.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Ranks the {@code RECOVERING}, {@code QUIESCED} and {@code STANDBY} health statuses between {@code DOWN} and
 * {@code UP}: by default a
 * health aggregate ignores statuses missing from {@code management.endpoint.health.status.order}. Adds the order
 * {@code DOWN, OUT_OF_SERVICE, RECOVERING, QUIESCED, STANDBY, UP, UNKNOWN}, and maps {@code STANDBY} to 503 in the
 * {@code readiness} health group, as a lowest-precedence default, so any order the
 * application configures wins.
 */
class HealthStatusOrderEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE = "dualSocketHealthDefaults";

	private static final String READINESS_MAPPING = "management.endpoint.health.group.readiness.status.http-mapping.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(PROPERTY_SOURCE)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE, Map.of("management.endpoint.health.status.order",
						"DOWN,OUT_OF_SERVICE,RECOVERING,QUIESCED,STANDBY,UP,UNKNOWN",
						// A readiness group that includes dualSocket routes no traffic to a standby instance. A group
						// with a mapping of its own loses Boot's defaults, so they are given here too; an application's
						// own entries add to these.
						READINESS_MAPPING + "down", "503", READINESS_MAPPING + "out-of-service", "503",
						READINESS_MAPPING + "standby", "503")));
		}
	}

}

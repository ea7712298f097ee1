package dev.dualsocket.autoconfigure.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.autoconfigure.InvalidDualSocketPropertyException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Active/standby endpoints that cannot work fail at start-up, naming the property and what it allows; without
 * {@code ha.enabled} nothing of it is made.
 */
class ActiveStandbyConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class,
				DualSocketHaAutoConfiguration.class))
		.withPropertyValues("dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.port=7800", "dual-socket.endpoints.exchange.link-id=orders-1");

	@Test
	void withoutHaNothingIsMade() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EndpointLeaderships.class));
	}

	@Test
	void haWithNeitherALockRegistryNorADataSourceFailsSayingWhatItNeeds() {
		this.runner.withPropertyValues("dual-socket.endpoints.exchange.ha.enabled=true").run((context) -> {
			InvalidDualSocketPropertyException invalid = invalid(context.getStartupFailure());
			assertThat(invalid.getProperty()).isEqualTo("dual-socket.endpoints.exchange.ha.enabled");
			assertThat(invalid.getAllowed()).contains("LockRegistry bean").contains("DataSource");
		});
	}

	@Test
	void aHeartBeatThatIsNotBelowTheLockTtlFailsNamingIt() {
		this.runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("dual-socket.endpoints.exchange.ha.enabled=true",
					"dual-socket.endpoints.exchange.ha.lock-ttl=1s", "dual-socket.endpoints.exchange.ha.heart-beat=1s")
			.run((context) -> {
				InvalidDualSocketPropertyException invalid = invalid(context.getStartupFailure());
				assertThat(invalid.getProperty()).isEqualTo("dual-socket.endpoints.exchange.ha.heart-beat");
				assertThat(invalid.getAllowed()).contains("below lock-ttl");
			});
	}

	@Test
	void aSharedStoreWithoutADataSourceFailsNamingIt() {
		this.runner.withBean(org.springframework.integration.support.locks.DefaultLockRegistry.class)
			.withBean(LeaderEpochs.class, () -> (role) -> java.util.OptionalLong.of(1))
			.withPropertyValues("dual-socket.endpoints.exchange.ha.enabled=true",
					"dual-socket.endpoints.exchange.ha.shared-store=true")
			.run((context) -> assertThat(invalid(context.getStartupFailure()).getProperty())
				.isEqualTo("dual-socket.endpoints.exchange.ha.shared-store"));
	}

	private static InvalidDualSocketPropertyException invalid(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidDualSocketPropertyException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("cause of %s", failure).isInstanceOf(InvalidDualSocketPropertyException.class);
		return (InvalidDualSocketPropertyException) cause;
	}

}

package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.LinkSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Each default is defined once, in the engine: an endpoint that sets nothing but its address runs on exactly
 * {@code LinkSettings.builder().build()} and the {@link EndpointSettings} defaults.
 */
class PropertyDefaultsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class,
				SslAutoConfiguration.class))
		.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0");

	@Test
	void anEndpointThatSetsNothingRunsOnTheEnginesDefaults() {
		this.runner.run((context) -> {
			EndpointSettings settings = context.getBean("hubDualSocketEndpoint", ServerEndpoint.class).getSettings();
			assertThat(settings.link()).isEqualTo(LinkSettings.builder().build());
			assertThat(settings.maxLinks()).isEqualTo(EndpointSettings.DEFAULT_MAX_LINKS);
			assertThat(settings.maxPendingHandshakes()).isEqualTo(EndpointSettings.DEFAULT_MAX_PENDING_HANDSHAKES);
			assertThat(settings.maxConnectionsPerAddress())
				.isEqualTo(EndpointSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
			assertThat(settings.failback()).isEqualTo(EndpointSettings.Failback.DISABLED);
		});
	}

	@Test
	void theFailbackTimingsDefaultToTheEnginesEvenWhenFailbackIsSwitchedOn() {
		DualSocketProperties.Failback failback = new DualSocketProperties.Failback();
		assertThat(failback.getStableFor()).isEqualTo(EndpointSettings.Failback.DISABLED.stableFor());
		assertThat(failback.getProbeInterval()).isEqualTo(EndpointSettings.Failback.DISABLED.probeInterval());
	}

}

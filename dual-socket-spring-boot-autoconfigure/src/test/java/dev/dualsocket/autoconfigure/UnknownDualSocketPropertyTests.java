package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.dualsocket.autoconfigure.UnknownDualSocketPropertyException.UnknownProperty;
import dev.dualsocket.endpoint.ServerEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A {@code dual-socket.*} key that binds to nothing fails start-up, naming the key, where it was written and the known
 * key it was probably meant to be; every form the binder reads a known key in is accepted.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownDualSocketPropertyTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class, SslAutoConfiguration.class));

	private static final String[] HUB = { "dual-socket.endpoints.hub.role=server",
			"dual-socket.endpoints.hub.host=127.0.0.1", "dual-socket.endpoints.hub.port=0" };

	@Test
	void misspelledDefaultFailsWithTheClosestKnownKey() {
		assertUnknown("dual-socket.defaults.hearbeat.interval", "dual-socket.defaults.heartbeat.interval",
				with(HUB, "dual-socket.defaults.hearbeat.interval=2s"));
	}

	@Test
	void misspelledEndpointKeyFailsWithTheKeyUnderTheSameEndpoint() {
		assertUnknown("dual-socket.endpoints.hub.hearbeat.interval", "dual-socket.endpoints.hub.heartbeat.interval",
				with(HUB, "dual-socket.endpoints.hub.hearbeat.interval=2s"));
	}

	@Test
	void endpointForEndpointsFailsWithTheEndpointsKey() {
		assertUnknown("dual-socket.endpoint.exchange.port", "dual-socket.endpoints.exchange.port",
				"dual-socket.endpoint.exchange.port=7800");
	}

	@Test
	void misspelledTransportKeyFailsWithTheTransportKey() {
		assertUnknown("dual-socket.transport.io-thread", "dual-socket.transport.io-threads",
				"dual-socket.transport.io-thread=2");
	}

	@Test
	void aKeyNothingIsCloseToFailsWithoutASuggestion() {
		this.runner.withPropertyValues("dual-socket.colour=blue").run((context) -> {
			UnknownProperty unknown = onlyUnknown(context.getStartupFailure());
			assertThat(unknown.name()).isEqualTo("dual-socket.colour");
			assertThat(unknown.closest()).isNull();
			FailureAnalysis analysis = new UnknownDualSocketPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("Remove 'dual-socket.colour'")
				.contains("dual-socket.endpoints.<name>.");
		});
	}

	@Test
	void everyUnknownKeyIsNamedAtOnce() {
		this.runner
			.withPropertyValues(with(HUB, "dual-socket.defaults.request-timout=1s",
					"dual-socket.endpoints.hub.max-link=5"))
			.run((context) -> {
				assertThat(context).hasFailed();
				UnknownDualSocketPropertyException unknown = (UnknownDualSocketPropertyException) new UnknownDualSocketPropertyFailureAnalyzer()
					.analyze(context.getStartupFailure())
					.getCause();
				assertThat(unknown.getProperties()).extracting(UnknownProperty::closest)
					.containsExactlyInAnyOrder("dual-socket.defaults.request-timeout",
							"dual-socket.endpoints.hub.max-links");
			});
	}

	@Test
	void everyFormTheBinderReadsIsAccepted() {
		this.runner
			.withPropertyValues("dual-socket.endpoints.my-hub.role=server", "dual-socket.endpoints.my-hub.host=127.0.0.1",
					"dual-socket.endpoints.my-hub.port=0", "dual-socket.endpoints.my-hub.requestTimeout=7s",
					"dual-socket.endpoints.my-hub.connect_timeout=4s", "dualSocket.defaults.heartbeat.interval=2s",
					"dual-socket.endpoints.my-hub.quiesce.max-queued-bytes=1MB",
					"dual-socket.endpoints.edge.role=client", "dual-socket.endpoints.edge.host=127.0.0.1",
					"dual-socket.endpoints.edge.port=7800", "dual-socket.endpoints.edge.link-id=edge-1",
					"dual-socket.endpoints.edge.standby[0]=127.0.0.1:7801",
					"dual-socket.endpoints.edge.standby[1]=127.0.0.1:7802",
					"dual-socket.endpoints.edge.reconnect.after-disconnect.enabled=false",
					"dual-socket.endpoints.edge.failback.enabled=true", "dual-socket.transport.handler-threads=2",
					"dual-socket.readiness.refuse-when-quiesced=false")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("DUAL_SOCKET_ENDPOINTS_MY_HUB_RECOVERY_WAIT_TIMEOUT", "3s",
								"DUAL_SOCKET_ENDPOINTS_EDGE_STANDBY_2", "127.0.0.1:7803",
								"DUAL_SOCKET_DEFAULTS_RECONNECT_AFTERDISCONNECT_MAXATTEMPTS", "7"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ServerEndpoint hub = context.getBean("my-hubDualSocketEndpoint", ServerEndpoint.class);
				assertThat(hub.getSettings().link().requestTimeout()).hasSeconds(7);
				assertThat(hub.getSettings().link().recovery().waitTimeout()).hasSeconds(3);
			});
	}

	@Test
	void misspelledEnvironmentVariableFailsWithTheClosestKnownKey() {
		this.runner.withPropertyValues(HUB)
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("DUAL_SOCKET_DEFAULTS_HEARBEAT_INTERVAL", "2s"))))
			.run((context) -> {
				UnknownProperty unknown = onlyUnknown(context.getStartupFailure());
				assertThat(unknown.name()).isEqualTo("DUAL_SOCKET_DEFAULTS_HEARBEAT_INTERVAL");
				assertThat(unknown.closest()).isEqualTo("dual-socket.defaults.heartbeat.interval");
			});
	}

	@Test
	void failureAnalysisNamesTheKeyItsLineInTheFileAndTheClosestKnownKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatThrownBy(() -> application.run("--spring.profiles.active=unknown-key").close())
			.isInstanceOf(UnknownDualSocketPropertyException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The property 'dual-socket.endpoints.exchange.hearbeat.interval' (originating from "
					+ "'class path resource [application-unknown-key.yml] - 9:19') is not a dual-socket property.")
			.contains("Did you mean 'dual-socket.endpoints.exchange.heartbeat.interval'?");
	}

	private void assertUnknown(String name, String closest, String... properties) {
		this.runner.withPropertyValues(properties).run((context) -> {
			UnknownProperty unknown = onlyUnknown(context.getStartupFailure());
			assertThat(unknown.name()).isEqualTo(name);
			assertThat(unknown.closest()).isEqualTo(closest);
			assertThat(unknown.origin()).hasToString("\"" + name + "\" from property source \"test\"");
			FailureAnalysis analysis = new UnknownDualSocketPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'" + name + "'").contains("is not a dual-socket property");
			assertThat(analysis.getAction()).contains("Did you mean '" + closest + "'?");
		});
	}

	private static UnknownProperty onlyUnknown(Throwable failure) {
		assertThat(failure).as("start-up failure").isNotNull();
		FailureAnalysis analysis = new UnknownDualSocketPropertyFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		UnknownDualSocketPropertyException unknown = (UnknownDualSocketPropertyException) analysis.getCause();
		assertThat(unknown.getProperties()).hasSize(1);
		return unknown.getProperties().get(0);
	}

	private static String[] with(String[] base, String... more) {
		String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}

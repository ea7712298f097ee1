package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.LinkSettings.WhileDisconnected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * {@code dual-socket.defaults.request-while-disconnected} and its per-endpoint override: {@code fail} unless
 * configured, inherited, overridden, and an unknown value refused at start-up naming the property and the values it
 * allows.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestWhileDisconnectedPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class,
				SslAutoConfiguration.class))
		.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0", "dual-socket.endpoints.edge.role=server",
				"dual-socket.endpoints.edge.host=127.0.0.1", "dual-socket.endpoints.edge.port=0");

	@Test
	void requestsFailAtOnceWhileDisconnectedUnlessConfigured() {
		this.runner.run((context) -> assertThat(settings(context.getBean("hubDualSocketEndpoint"))
			.requestWhileDisconnected()).isEqualTo(WhileDisconnected.FAIL));
	}

	@Test
	void endpointsInheritTheDefaultAndMayOverrideIt() {
		this.runner
			.withPropertyValues("dual-socket.defaults.request-while-disconnected=wait",
					"dual-socket.endpoints.edge.request-while-disconnected=fail")
			.run((context) -> {
				assertThat(settings(context.getBean("hubDualSocketEndpoint")).requestWhileDisconnected())
					.isEqualTo(WhileDisconnected.WAIT);
				assertThat(settings(context.getBean("edgeDualSocketEndpoint")).requestWhileDisconnected())
					.isEqualTo(WhileDisconnected.FAIL);
			});
	}

	@Test
	void anUnknownValueNamesThePropertyAndTheValidValues(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);

		assertThatThrownBy(() -> application.run("--dual-socket.endpoints.exchange.request-while-disconnected=retry",
				"--dual-socket.endpoints.exchange.role=server", "--dual-socket.endpoints.exchange.port=0").close())
			.isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("dual-socket.endpoints.exchange.request-while-disconnected")
			.contains("retry")
			.containsIgnoringCase("The following values are valid")
			.contains("FAIL")
			.contains("WAIT");
	}

	private static LinkSettings settings(Object endpoint) {
		return ((ServerEndpoint) endpoint).getSettings().link();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}

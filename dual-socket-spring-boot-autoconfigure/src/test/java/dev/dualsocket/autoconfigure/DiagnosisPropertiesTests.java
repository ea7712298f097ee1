package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.LinkSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code dual-socket.defaults.diagnosis.*} and {@code dual-socket.endpoints.<name>.diagnosis.*}: inherited, overridden
 * per endpoint, and refused with the property's name when unusable.
 */
class DiagnosisPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class,
				SslAutoConfiguration.class))
		.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0", "dual-socket.endpoints.edge.role=server",
				"dual-socket.endpoints.edge.host=127.0.0.1", "dual-socket.endpoints.edge.port=0");

	@Test
	void diagnosisIsOnWithStepsOfOneSecondUnlessConfigured() {
		this.runner.run((context) -> assertThat(settings(context.getBean("hubDualSocketEndpoint")).diagnosis())
			.isEqualTo(new LinkSettings.Diagnosis(true, Duration.ofSeconds(1))));
	}

	@Test
	void endpointsInheritTheDefaultsAndMayOverrideThem() {
		this.runner
			.withPropertyValues("dual-socket.defaults.diagnosis.step-timeout=300ms",
					"dual-socket.endpoints.edge.diagnosis.enabled=false")
			.run((context) -> {
				assertThat(settings(context.getBean("hubDualSocketEndpoint")).diagnosis())
					.isEqualTo(new LinkSettings.Diagnosis(true, Duration.ofMillis(300)));
				assertThat(settings(context.getBean("edgeDualSocketEndpoint")).diagnosis())
					.isEqualTo(new LinkSettings.Diagnosis(false, Duration.ofMillis(300)));
			});
	}

	@Test
	void aStepTimeoutOfZeroIsRefusedWithTheEndpointsProperty() {
		assertInvalid("dual-socket.endpoints.edge.diagnosis.step-timeout", "PT0S",
				"dual-socket.endpoints.edge.diagnosis.step-timeout=0s");
	}

	@Test
	void aNegativeStepTimeoutInTheDefaultsIsRefusedWithTheDefaultsProperty() {
		assertInvalid("dual-socket.defaults.diagnosis.step-timeout", "PT-1S",
				"dual-socket.defaults.diagnosis.step-timeout=-1s");
	}

	private void assertInvalid(String property, String value, String setting) {
		this.runner.withPropertyValues(setting).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidDualSocketPropertyFailureAnalyzer(null)
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			InvalidDualSocketPropertyException invalid = (InvalidDualSocketPropertyException) analysis.getCause();
			assertThat(invalid.getProperty()).isEqualTo(property);
			assertThat(String.valueOf(invalid.getValue())).isEqualTo(value);
			assertThat(invalid.getAllowed()).isEqualTo("a positive duration, for example 500ms or 5s");
		});
	}

	private static LinkSettings settings(Object endpoint) {
		EndpointSettings settings = ((ServerEndpoint) endpoint).getSettings();
		return settings.link();
	}

}

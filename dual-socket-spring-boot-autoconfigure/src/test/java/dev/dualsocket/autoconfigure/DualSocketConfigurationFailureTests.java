package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;

import dev.dualsocket.endpoint.EndpointStartException;
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
import org.springframework.core.env.Environment;

/**
 * Bad configuration fails at start-up with a message that names the property and what it allows.
 */
@ExtendWith(OutputCaptureExtension.class)
class DualSocketConfigurationFailureTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class, SslAutoConfiguration.class));

	private static final String[] CLIENT = { "dual-socket.endpoints.exchange.role=client",
			"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=7800",
			"dual-socket.endpoints.exchange.link-id=orders-1" };

	@Test
	void missingPort() {
		assertInvalid("dual-socket.endpoints.exchange.port", null, "1 to 65535", "dual-socket.endpoints.exchange.role=client",
				"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.link-id=orders-1");
	}

	@Test
	void portOutOfRange() {
		assertInvalid("dual-socket.endpoints.hub.port", 70000, "0 to 65535 (0 picks a free port)",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.port=70000");
	}

	@Test
	void missingRole() {
		assertInvalid("dual-socket.endpoints.exchange.role", null, "client or server",
				"dual-socket.endpoints.exchange.port=7800");
	}

	@Test
	void clientWithoutLinkId() {
		assertInvalid("dual-socket.endpoints.exchange.link-id", null, "1 to 255 bytes of UTF-8",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.port=7800");
	}

	@Test
	void negativeDurationOnTheEndpoint() {
		assertInvalid("dual-socket.endpoints.exchange.request-timeout", "PT-1S",
				"a positive duration, for example 500ms or 5s", with(CLIENT, "dual-socket.endpoints.exchange.request-timeout=-1s"));
	}

	@Test
	void zeroDurationInTheDefaultsIsReportedUnderDefaults() {
		assertInvalid("dual-socket.defaults.recovery.wait-timeout", "PT0S", "a positive duration, for example 500ms or 5s",
				with(CLIENT, "dual-socket.defaults.recovery.wait-timeout=0s"));
	}

	@Test
	void iso8583WithoutAPackager() {
		assertInvalid("dual-socket.endpoints.exchange.iso8583.packager", null,
				"a GenericPackager XML resource (classpath:packager/iso87binary.xml) or a jPOS packager class "
						+ "(org.jpos.iso.packager.ISO87BPackager)",
				with(CLIENT, "dual-socket.endpoints.exchange.protocol=iso8583",
						"dual-socket.endpoints.exchange.inbound-port=7801"));
	}

	@Test
	void iso8583WithAnUnknownLengthHeader() {
		assertInvalid("dual-socket.endpoints.exchange.iso8583.length-header", "binary-4",
				"binary-2 (two bytes, big-endian) or ascii-4 (four ASCII digits)",
				with(CLIENT, "dual-socket.endpoints.exchange.protocol=iso8583",
						"dual-socket.endpoints.exchange.inbound-port=7801",
						"dual-socket.endpoints.exchange.iso8583.packager=org.jpos.iso.packager.ISO87BPackager",
						"dual-socket.endpoints.exchange.iso8583.length-header=binary-4"));
	}

	@Test
	void iso8583WithAPackagerThatIsNone() {
		assertInvalid("dual-socket.endpoints.exchange.iso8583.packager", "java.lang.StringBuilder",
				"a class that implements org.jpos.iso.ISOPackager",
				with(CLIENT, "dual-socket.endpoints.exchange.protocol=iso8583",
						"dual-socket.endpoints.exchange.inbound-port=7801",
						"dual-socket.endpoints.exchange.iso8583.packager=java.lang.StringBuilder"));
	}

	@Test
	void iso8583ClientWithoutAnInboundPort() {
		assertInvalid("dual-socket.endpoints.exchange.inbound-port", null,
				"1 to 65535, other than port (protocol iso8583 pairs connections by the port they arrive on)",
				with(CLIENT, "dual-socket.endpoints.exchange.protocol=iso8583",
						"dual-socket.endpoints.exchange.iso8583.packager=org.jpos.iso.packager.ISO87BPackager"));
	}

	@Test
	void iso8583ServerWithoutALinkId() {
		assertInvalid("dual-socket.endpoints.hub.link-id", null, "1 to 255 bytes of UTF-8",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.port=0",
				"dual-socket.endpoints.hub.protocol=iso8583", "dual-socket.endpoints.hub.inbound-port=7801",
				"dual-socket.endpoints.hub.iso8583.packager=org.jpos.iso.packager.ISO87BPackager");
	}

	@Test
	void inboundPortWithAProtocolWhoseHandshakeNamesTheConnections() {
		assertInvalid("dual-socket.endpoints.exchange.inbound-port", 7801,
				"unset with protocol dual-socket, whose handshake names each connection; only a protocol that pairs "
						+ "connections by port (iso8583) takes one",
				with(CLIENT, "dual-socket.endpoints.exchange.inbound-port=7801"));
	}

	@Test
	void sharedSecretWithSmpp() {
		assertInvalid("dual-socket.endpoints.exchange.auth.secret", "set",
				"unset with protocol smpp: it authenticates this project's HELLO handshake; SMPP binds prove "
						+ "smpp.password; use TLS with client certificates (ssl.bundle) to keep strangers off the link",
				with(CLIENT, "dual-socket.endpoints.exchange.protocol=smpp",
						"dual-socket.endpoints.exchange.auth.secret=a secret of sixteen bytes or more"));
	}

	@Test
	void smppPasswordLongerThanSmppAllows() {
		assertInvalid("dual-socket.endpoints.exchange.smpp.password", null,
				"smpp.password is at most 8 characters in SMPP 3.4, was 9",
				with(CLIENT, "dual-socket.endpoints.exchange.protocol=smpp",
						"dual-socket.endpoints.exchange.smpp.password=123456789"));
	}

	@Test
	void maxLinksOnAClient() {
		assertInvalid("dual-socket.endpoints.exchange.max-links", 5, "max-links only on a server endpoint",
				with(CLIENT, "dual-socket.endpoints.exchange.max-links=5"));
	}

	@Test
	void maxConnectionsPerAddressOnAClient() {
		assertInvalid("dual-socket.endpoints.exchange.max-connections-per-address", 5,
				"max-connections-per-address only on a server endpoint",
				with(CLIENT, "dual-socket.endpoints.exchange.max-connections-per-address=5"));
	}

	@Test
	void maxConnectionsPerAddressOfZero() {
		assertInvalid("dual-socket.endpoints.hub.max-connections-per-address", 0, "a whole number of at least 1",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.port=0",
				"dual-socket.endpoints.hub.max-connections-per-address=0");
	}

	@Test
	void duplicateCacheBytesOfZero() {
		assertInvalid("dual-socket.endpoints.exchange.duplicate-cache-bytes", "0B", "a positive size, for example 8MB",
				with(CLIENT, "dual-socket.endpoints.exchange.duplicate-cache-bytes=0"));
	}

	@Test
	void heartbeatIntervalShorterThanAPeerAllows() {
		assertInvalid("dual-socket.defaults.heartbeat.interval", "PT0.01S", "a duration of at least 50ms",
				with(CLIENT, "dual-socket.defaults.heartbeat.interval=10ms"));
	}

	@Test
	void heartbeatTimeoutNotLongerThanTheInterval() {
		assertInvalid("dual-socket.endpoints.exchange.heartbeat.timeout", "PT1S",
				"a duration longer than heartbeat.interval (PT1S)", with(CLIENT, "dual-socket.endpoints.exchange.heartbeat.timeout=1s"));
	}

	@Test
	void reestablishAttemptsOfZero() {
		assertInvalid("dual-socket.defaults.reconnect.after-disconnect.max-attempts", 0,
				"a whole number of at least 1, or -1 for no limit",
				with(CLIENT, "dual-socket.defaults.reconnect.after-disconnect.max-attempts=0"));
	}

	@Test
	void unknownSslBundle() {
		assertInvalid("dual-socket.endpoints.exchange.ssl.bundle", "nope", "one of the configured SSL bundles [exchange]",
				with(CLIENT, "dual-socket.endpoints.exchange.ssl.bundle=nope",
						"spring.ssl.bundle.pem.exchange.truststore.certificate=classpath:tls/server.crt"));
	}

	@Test
	void secretTooShortIsRefusedWithoutShowingIt() {
		assertInvalid("dual-socket.endpoints.exchange.auth.secret", "(6 bytes, not shown)",
				"a secret of at least 16 bytes of UTF-8", with(CLIENT, "dual-socket.endpoints.exchange.auth.secret=hunter"));
	}

	@Test
	void certificateBindingOnAClient() {
		assertInvalid("dual-socket.endpoints.exchange.auth.certificate-binding", true,
				"true only on a server endpoint with an SSL bundle (ssl.bundle) that has a trust store",
				with(CLIENT, "dual-socket.endpoints.exchange.auth.certificate-binding=true"));
	}

	@Test
	void certificateBindingWithoutTls() {
		assertInvalid("dual-socket.endpoints.hub.auth.certificate-binding", true,
				"true only on a server endpoint with an SSL bundle (ssl.bundle) that has a trust store",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.port=0",
				"dual-socket.endpoints.hub.auth.certificate-binding=true");
	}

	@Test
	void failbackWithoutStandbyAddresses() {
		assertInvalid("dual-socket.endpoints.exchange.failback.enabled", true,
				"true only on a client endpoint with standby addresses (standby)",
				with(CLIENT, "dual-socket.endpoints.exchange.failback.enabled=true"));
	}

	@Test
	void failbackProbeIntervalOfZero() {
		assertInvalid("dual-socket.endpoints.exchange.failback.probe-interval", "PT0S",
				"a positive duration, for example 500ms or 5s",
				with(CLIENT, "dual-socket.endpoints.exchange.standby=127.0.0.1:7801",
						"dual-socket.endpoints.exchange.failback.enabled=true",
						"dual-socket.endpoints.exchange.failback.probe-interval=0s"));
	}

	@Test
	void negativeQuiesceQueueIsReportedUnderTheEndpoint() {
		assertInvalid("dual-socket.endpoints.exchange.quiesce.max-queued", -1, "a whole number of at least 0",
				with(CLIENT, "dual-socket.endpoints.exchange.quiesce.max-queued=-1"));
	}

	@Test
	void unknownOwnRequestsPolicyNamesThePropertyAndTheValidValues(CapturedOutput output) {
		assertThatThrownBy(() -> run("--dual-socket.defaults.quiesce.own-requests=sometimes")).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("dual-socket.defaults.quiesce.own-requests")
			.contains("sometimes")
			.containsIgnoringCase("The following values are valid")
			.contains("WAIT")
			.contains("FAIL");
	}

	@Test
	void malformedStandbyAddress() {
		assertInvalid("dual-socket.endpoints.exchange.standby[1]", "backup", "host:port with a port of 1 to 65535",
				with(CLIENT, "dual-socket.endpoints.exchange.standby=127.0.0.1:7801,backup"));
	}

	@Test
	void unknownRoleNamesThePropertyAndTheValidValues(CapturedOutput output) {
		assertThatThrownBy(() -> run("--dual-socket.endpoints.exchange.role=broker",
				"--dual-socket.endpoints.exchange.port=7800"))
			.isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("dual-socket.endpoints.exchange.role")
			.contains("broker")
			.containsIgnoringCase("The following values are valid")
			.contains("CLIENT")
			.contains("SERVER");
	}

	@Test
	void failureAnalysisOfABadPropertyNamesItAndWhatItAllows(CapturedOutput output) {
		assertThatThrownBy(() -> run("--dual-socket.endpoints.exchange.role=client",
				"--dual-socket.endpoints.exchange.host=127.0.0.1", "--dual-socket.endpoints.exchange.link-id=x"))
			.isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The dual-socket property 'dual-socket.endpoints.exchange.port' is required but not set.")
			.contains("Set 'dual-socket.endpoints.exchange.port' in your application's configuration. Allowed: 1 to 65535.");
	}

	@Test
	void failureAnalysisNamesTheFileLineAndColumnOfAnUnusableValue(CapturedOutput output) {
		assertThatThrownBy(() -> run("--spring.profiles.active=bad-port")).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The dual-socket property 'dual-socket.endpoints.hub.port' (originating from "
					+ "'class path resource [application-bad-port.yml] - 7:13') has the value '70000', which cannot be used.");
	}

	@Test
	void failureAnalysisNamesTheLineOfAnUnusableElementOfAList(CapturedOutput output) {
		assertThatThrownBy(() -> run("--spring.profiles.active=bad-standby")).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The dual-socket property 'dual-socket.endpoints.exchange.standby[1]' (originating from "
					+ "'class path resource [application-bad-standby.yml] - 11:11') has the value 'backup'");
	}

	@Test
	void portAlreadyInUse(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int port = taken.getLocalPort();
			assertThatThrownBy(() -> run("--dual-socket.endpoints.hub.role=server", "--dual-socket.endpoints.hub.host=127.0.0.1",
					"--dual-socket.endpoints.hub.port=" + port))
				.satisfies((failure) -> assertThat(findStartException(failure).isPortInUse()).isTrue());
			assertThat(output).contains("dual-socket endpoint 'hub' failed to start: port " + port
					+ " on 127.0.0.1 is already in use.")
				.contains("or set 'dual-socket.endpoints.hub.port' to another port");
		}
	}

	private static EndpointStartException findStartException(Throwable failure) {
		Throwable cause = failure;
		while (!(cause instanceof EndpointStartException)) {
			cause = cause.getCause();
		}
		return (EndpointStartException) cause;
	}

	private void assertInvalid(String property, Object value, String allowed, String... properties) {
		// A context that failed to start no longer gives its environment; the analyzer needs it for the origin.
		AtomicReference<Environment> environment = new AtomicReference<>();
		this.runner.withPropertyValues(properties)
			.withInitializer((context) -> environment.set(context.getEnvironment()))
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				FailureAnalysis analysis = new InvalidDualSocketPropertyFailureAnalyzer(environment.get()).analyze(failure);
				assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
				InvalidDualSocketPropertyException invalid = (InvalidDualSocketPropertyException) analysis.getCause();
				assertThat(invalid.getProperty()).isEqualTo(property);
				assertThat((value != null) ? String.valueOf(invalid.getValue()) : null)
					.isEqualTo((value != null) ? String.valueOf(value) : null);
				assertThat(invalid.getAllowed()).isEqualTo(allowed);
				assertThat(analysis.getDescription()).contains(property);
				if (value != null) {
					// The origin of a value given here: its name, as written, in the runner's property source.
					assertThat(analysis.getDescription()).contains("(originating from '\"" + property.replaceAll("\\[\\d+\\]$", "")
							+ "\" from property source \"test\"')");
				}
				assertThat(analysis.getAction()).contains(property).contains(allowed);
			});
	}

	private static String[] with(String[] base, String... more) {
		String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	private static void run(String... args) {
		SpringApplication application = new SpringApplication(MinimalApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}

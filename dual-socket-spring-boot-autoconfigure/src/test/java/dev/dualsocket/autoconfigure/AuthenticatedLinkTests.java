package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.LinkSecretResolver;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Authenticated links configured through properties (section 4.5 of docs/PROTOCOL.md): a shared secret, a secret per
 * link id from a {@link LinkSecretResolver} bean, and the link id bound to the TLS client certificate. A client that
 * cannot prove itself never comes up; the secret never appears in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthenticatedLinkTests {

	private static final String SECRET = "a secret shared by both ends";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class, SslAutoConfiguration.class));

	@Test
	void sharedSecretOnBothSides(CapturedOutput output) {
		this.runner.withPropertyValues(server("dual-socket.endpoints.hub.auth.secret=" + SECRET)).run((server) -> {
			server.getBean(ServerEndpoint.class).setRequestHandler((request) -> request.payload());
			int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
			this.runner.withPropertyValues(client(port, "orders-1", "dual-socket.endpoints.exchange.auth.secret=" + SECRET))
				.run((client) -> {
					ClientEndpoint exchange = client.getBean(ClientEndpoint.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);
					assertThat(exchange.request("proved".getBytes()).get(5, TimeUnit.SECONDS)).isEqualTo("proved".getBytes());
				});
		});
		assertThat(output).contains("authenticating links by secret").doesNotContain(SECRET);
	}

	@Test
	void secretPerLinkFromAResolverBean() {
		this.runner.withUserConfiguration(PerLinkSecrets.class).withPropertyValues(server()).run((server) -> {
			int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
			this.runner.withPropertyValues(client(port, "orders-1", "dual-socket.endpoints.exchange.auth.secret=orders-1 has this secret"))
				.run((client) -> await().atMost(Duration.ofSeconds(10))
					.until(() -> client.getBean(ClientEndpoint.class).link("orders-1").getState() == LinkState.NORMAL));
			this.runner.withUserConfiguration(Attempts.class)
				.withPropertyValues(client(port, "orders-2", "dual-socket.endpoints.exchange.auth.secret=orders-1 has this secret"))
				.run((client) -> {
					await().atMost(Duration.ofSeconds(10)).until(() -> client.getBean(Attempts.class).refused >= 1);
					assertThat(client.getBean(ClientEndpoint.class).link("orders-2").getState())
						.isNotEqualTo(LinkState.NORMAL);
				});
		});
	}

	@Test
	void linkIdBoundToTheClientCertificate() {
		this.runner
			.withPropertyValues(server("spring.ssl.bundle.pem.hub.keystore.certificate=classpath:tls/server.crt",
					"spring.ssl.bundle.pem.hub.keystore.private-key=classpath:tls/server.key",
					"spring.ssl.bundle.pem.hub.truststore.certificate=classpath:tls/clients.crt",
					"dual-socket.endpoints.hub.ssl.bundle=hub", "dual-socket.endpoints.hub.auth.certificate-binding=true"))
			.run((server) -> {
				int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
				this.runner.withPropertyValues(tlsClient(port, "secure-1", "client-secure-1"))
					.run((client) -> await().atMost(Duration.ofSeconds(10))
						.until(() -> client.getBean(ClientEndpoint.class).link("secure-1").getState() == LinkState.NORMAL));
				// A trusted certificate that names another link id does not open this one.
				this.runner.withUserConfiguration(Attempts.class)
					.withPropertyValues(tlsClient(port, "secure-1", "client-stranger"))
					.run((client) -> {
						await().atMost(Duration.ofSeconds(10)).until(() -> client.getBean(Attempts.class).refused >= 1);
						assertThat(client.getBean(ClientEndpoint.class).link("secure-1").getState())
							.isNotEqualTo(LinkState.NORMAL);
					});
			});
	}

	private static String[] server(String... more) {
		String[] base = { "dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0" };
		return concat(base, more);
	}

	private static String[] client(int port, String linkId, String... more) {
		String[] base = { "dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.port=" + port, "dual-socket.endpoints.exchange.link-id=" + linkId,
				"dual-socket.endpoints.exchange.reconnect.after-disconnect.interval=100ms" };
		return concat(base, more);
	}

	private static String[] tlsClient(int port, String linkId, String certificate) {
		return new String[] { "spring.ssl.bundle.pem.exchange.truststore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.exchange.keystore.certificate=classpath:tls/" + certificate + ".crt",
				"spring.ssl.bundle.pem.exchange.keystore.private-key=classpath:tls/" + certificate + ".key",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=localhost",
				"dual-socket.endpoints.exchange.port=" + port, "dual-socket.endpoints.exchange.link-id=" + linkId,
				"dual-socket.endpoints.exchange.ssl.bundle=exchange",
				"dual-socket.endpoints.exchange.reconnect.after-disconnect.interval=100ms" };
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	@Configuration(proxyBeanMethods = false)
	static class PerLinkSecrets {

		@Bean
		LinkSecretResolver linkSecrets() {
			return (endpoint, linkId) -> (linkId.startsWith("orders-"))
					? (linkId + " has this secret").getBytes(StandardCharsets.UTF_8) : null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Attempts {

		volatile int refused;

		@EventListener
		void onEvent(DualSocketEvent event) {
			if (event instanceof ReconnectAttemptEvent attempt && !attempt.isSuccessful()
					&& String.valueOf(attempt.getError()).contains("AUTHENTICATION_FAILED")) {
				this.refused++;
			}
		}

	}

}

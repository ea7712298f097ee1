package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Both sockets over TLS, with key and trust material from Spring Boot SSL bundles.
 */
class TlsLinkTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class, SslAutoConfiguration.class));

	private final ApplicationContextRunner server = this.runner.withPropertyValues(
			"spring.ssl.bundle.pem.hub.keystore.certificate=classpath:tls/server.crt",
			"spring.ssl.bundle.pem.hub.keystore.private-key=classpath:tls/server.key",
			"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
			"dual-socket.endpoints.hub.port=0", "dual-socket.endpoints.hub.ssl.bundle=hub");

	@Test
	void linkRunsOverTlsWhenBothSidesHaveABundle() {
		this.server.run((server) -> {
			server.getBean(ServerEndpoint.class).setRequestHandler((request) -> request.payload());
			int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
			this.runner
				.withPropertyValues("spring.ssl.bundle.pem.exchange.truststore.certificate=classpath:tls/server.crt",
						"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=localhost",
						"dual-socket.endpoints.exchange.port=" + port, "dual-socket.endpoints.exchange.link-id=secure-1",
						"dual-socket.endpoints.exchange.ssl.bundle=exchange")
				.run((client) -> {
					ClientEndpoint exchange = client.getBean(ClientEndpoint.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> exchange.link("secure-1").getState() == LinkState.NORMAL);
					assertThat(exchange.request("over tls".getBytes()).get(5, TimeUnit.SECONDS))
						.isEqualTo("over tls".getBytes());
				});
		});
	}

	@Test
	void clientRefusesAServerWhoseCertificateItDoesNotTrust() {
		this.server.run((server) -> {
			int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
			this.runner.withUserConfiguration(Attempts.class)
				.withPropertyValues("spring.ssl.bundle.pem.exchange.truststore.certificate=classpath:tls/other.crt",
						"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=localhost",
						"dual-socket.endpoints.exchange.port=" + port, "dual-socket.endpoints.exchange.link-id=secure-1",
						"dual-socket.endpoints.exchange.ssl.bundle=exchange",
						"dual-socket.endpoints.exchange.reconnect.after-disconnect.interval=100ms")
				.run((client) -> {
					Attempts attempts = client.getBean(Attempts.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> attempts.failed >= 2);
					assertThat(client.getBean(ClientEndpoint.class).link("secure-1").getState())
						.isEqualTo(LinkState.CONNECTING);
				});
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Attempts {

		volatile int failed;

		@EventListener
		void onEvent(DualSocketEvent event) {
			if (event instanceof ReconnectAttemptEvent attempt && !attempt.isSuccessful()) {
				this.failed++;
			}
		}

	}

}

package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A client whose peer is not there, seen over real HTTP: {@code /actuator/health} says it is DOWN and why (the last
 * connect error, how many attempts, when the next is due), and its requests fail at once saying the same.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = NotConnectedHealthTests.App.class,
		properties = { "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always", "dual-socket.defaults.request-timeout=10s",
				"dual-socket.defaults.reconnect.after-disconnect.interval=200ms",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.link-id=orders-1" })
class NotConnectedHealthTests {

	/** Nothing listens on it. */
	private static final int PEER_PORT = Sockets.freePort();

	private static final String CLIENT = "$.components.dualSocket.components.exchange";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.exchange.port", () -> PEER_PORT);
	}

	@Test
	void healthOfANeverConnectedClientSaysWhyItIsDown() throws Exception {
		Instant started = Instant.now();
		// Two failed attempts, and the next one waiting: between attempts, not during one.
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Map<String, Object> attempts = JsonPath.read(health().body(), CLIENT + ".details.connectAttempts");
			return ((Integer) attempts.get("attempts")) >= 2 && attempts.containsKey("nextAttemptAt");
		});

		HttpResponse<String> health = health();
		String json = health.body();
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat((String) JsonPath.read(json, CLIENT + ".status")).isEqualTo("DOWN");
		assertThat((String) JsonPath.read(json, CLIENT + ".details.state")).isEqualTo("CONNECTING");
		assertThat((String) JsonPath.read(json, CLIENT + ".details.reason"))
			.startsWith("not connected: the last attempt to connect failed: ")
			.contains("Connection refused")
			.containsPattern("\\(attempt \\d+, next in \\d+(\\.\\d)? m?s\\)$");
		assertThat((Integer) JsonPath.read(json, CLIENT + ".details.connectAttempts.attempts")).isGreaterThanOrEqualTo(2);
		assertThat((String) JsonPath.read(json, CLIENT + ".details.connectAttempts.lastError"))
			.contains("Connection refused")
			.contains(String.valueOf(PEER_PORT));
		assertThat(Instant.parse(JsonPath.read(json, CLIENT + ".details.connectAttempts.lastErrorAt")))
			.isAfterOrEqualTo(started);
		assertThat(Instant.parse(JsonPath.read(json, CLIENT + ".details.connectAttempts.nextAttemptAt")))
			.isAfter(started);
	}

	@Test
	void requestOfANeverConnectedClientFailsAtOnceSayingWhy() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.link("orders-1").snapshot().connectAttempts().lastError() != null);

		CompletableFuture<byte[]> response = this.exchange.request(new byte[] { 1 });

		assertThat(response).isCompletedExceptionally();
		assertThatThrownBy(response::join).cause()
			.isInstanceOf(LinkDisconnectedException.class)
			.hasMessageStartingWith("Link 'orders-1' of endpoint 'exchange' is not connected: not sent: "
					+ "the last attempt to connect failed: ")
			.hasMessageContaining("Connection refused");
	}

	private HttpResponse<String> health() throws Exception {
		return new ActuatorHttp(this.port).get("/actuator/health");
	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

	}

}

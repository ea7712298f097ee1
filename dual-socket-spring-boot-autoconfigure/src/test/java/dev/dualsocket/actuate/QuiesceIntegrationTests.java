package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Quiesce and resume as operators drive and see them, over real HTTP: the {@code quiesce} and {@code resume}
 * operations of {@code /actuator/dualsocket}, the {@code QUIESCED} health status on both ends of a link (HTTP 200,
 * never DOWN), and the application's readiness going out while an endpoint is quiesced.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = QuiesceIntegrationTests.App.class,
		properties = { "management.endpoints.web.exposure.include=health,dualsocket",
				"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true",
				"dual-socket.readiness.refuse-when-quiesced=true",
				"dual-socket.defaults.heartbeat.interval=200ms", "dual-socket.defaults.heartbeat.timeout=1s",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.link-id=orders-1" })
class QuiesceIntegrationTests {

	private static final int SERVER_PORT = Sockets.freePort();

	private static final String CLIENT = "$.components.dualSocket.components.exchange";

	private static final String SERVER_LINK = "$.components.dualSocket.components.hub.components.orders-1";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@Autowired
	@Qualifier("hub")
	DualSocketEndpoint hub;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.hub.port", () -> SERVER_PORT);
		registry.add("dual-socket.endpoints.exchange.port", () -> SERVER_PORT);
	}

	@BeforeEach
	void linkIsNormal() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.link("orders-1").getState() == LinkState.NORMAL);
	}

	@AfterEach
	void resumeAll() {
		this.hub.resume();
		this.exchange.resume();
	}

	@Test
	void quiesceOverHttpShowsQuiescedOnBothEndsTakesTheAppOutOfReadinessAndResumeServesTheHeldRequest()
			throws Exception {
		HttpResponse<String> quiesce = post("/actuator/dualsocket/hub", "{\"operation\":\"quiesce\"}");
		assertThat(quiesce.statusCode()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(quiesce.body(), "$.quiesced")).isTrue();

		await().atMost(Duration.ofSeconds(5)).until(() -> "QUIESCED".equals(health(CLIENT + ".status"))
				&& "QUIESCED".equals(health(SERVER_LINK + ".status")));
		HttpResponse<String> component = get("/actuator/health/dualSocket");
		assertThat(component.statusCode()).as("QUIESCED does not read as DOWN").isEqualTo(200);
		assertThat((String) JsonPath.read(component.body(), "$.status")).isEqualTo("QUIESCED");
		HttpResponse<String> health = get("/actuator/health");
		assertThat((Boolean) JsonPath.read(health.body(), CLIENT + ".details.peerQuiesced")).isTrue();
		assertThat((Boolean) JsonPath.read(health.body(), CLIENT + ".details.quiesced")).isFalse();
		assertThat((Boolean) JsonPath.read(health.body(), SERVER_LINK + ".details.quiesced")).isTrue();
		// Out of readiness, by dual-socket.readiness.refuse-when-quiesced: the one thing that answers 503.
		await().atMost(Duration.ofSeconds(5)).until(() -> get("/actuator/health/readiness").statusCode() == 503);
		assertThat((String) JsonPath.read(get("/actuator/health").body(), "$.components.readinessState.status"))
			.isEqualTo("OUT_OF_SERVICE");
		assertThat((Boolean) JsonPath.read(get("/actuator/dualsocket/hub").body(), "$.quiesced")).isTrue();

		CompletableFuture<String> held = this.exchange.request("held", String.class);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Integer.valueOf(1).equals(JsonPath.read(get("/actuator/health").body(),
					SERVER_LINK + ".details.heldRequests")));
		assertThat(held).isNotDone();

		HttpResponse<String> resume = post("/actuator/dualsocket/hub", "{\"operation\":\"resume\"}");
		assertThat(resume.statusCode()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(resume.body(), "$.quiesced")).isFalse();

		assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("held");
		await().atMost(Duration.ofSeconds(5)).until(() -> "UP".equals(health(CLIENT + ".status"))
				&& get("/actuator/health/readiness").statusCode() == 200);
		assertThat(this.exchange.link("orders-1").snapshot().outbound().connects()).isOne();
	}

	@Test
	void oneLinkCanBeQuiescedAndAnUnknownOperationListsTheSupportedOnes() throws Exception {
		HttpResponse<String> quiesce = post("/actuator/dualsocket/exchange",
				"{\"operation\":\"quiesce\",\"link\":\"orders-1\"}");
		assertThat(quiesce.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(quiesce.body(), "$.state")).isEqualTo("QUIESCED");
		assertThat(this.exchange.link("orders-1").isQuiesced()).isTrue();
		assertThat(this.exchange.isQuiesced()).isFalse();
		// Only a whole endpoint takes the application out of readiness.
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

		assertThat(post("/actuator/dualsocket/exchange", "{\"operation\":\"resume\",\"link\":\"orders-1\"}")
			.statusCode()).isEqualTo(200);
		assertThat(this.exchange.link("orders-1").getState()).isEqualTo(LinkState.NORMAL);
		HttpResponse<String> unknown = post("/actuator/dualsocket/exchange", "{\"operation\":\"pause\"}");
		assertThat(unknown.statusCode()).isEqualTo(400);
	}

	private String health(String path) throws Exception {
		return JsonPath.read(get("/actuator/health").body(), path);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return new ActuatorHttp(this.port).get(path);
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return new ActuatorHttp(this.port).post(path, json);
	}


	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

		@Bean
		Object echo(@Qualifier("hub") DualSocketEndpoint hub) {
			hub.setRequestHandler((request) -> request.payload());
			return hub;
		}

	}

}

package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.event.LinkDiagnosedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The verdict of a diagnosis (seed 003) where operators look, over real HTTP: the {@code diagnosis} detail of the
 * link's health in {@code /actuator/health} and the {@code dualsocket.link.diagnoses} counter in
 * {@code /actuator/metrics}; and as a Spring event for the application. The client's inbound connection is cut in a
 * proxy while its outbound one answers: {@link FailureVerdict#SOCKET_ONLY}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = DiagnosisActuatorTests.App.class,
		properties = { "management.endpoints.web.exposure.include=health,dualsocket,metrics",
				"management.endpoint.health.show-details=always", "dual-socket.defaults.heartbeat.interval=200ms",
				"dual-socket.defaults.heartbeat.timeout=2s", "dual-socket.defaults.reconnect.initial-backoff=50ms",
				"dual-socket.endpoints.exchange.diagnosis.step-timeout=500ms", "dual-socket.endpoints.hub.role=server",
				"dual-socket.endpoints.hub.host=127.0.0.1", "dual-socket.endpoints.exchange.role=client",
				"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.link-id=orders-1" })
class DiagnosisActuatorTests {

	private static final int SERVER_PORT = Sockets.freePort();

	private static final FaultProxy PROXY = FaultProxy.forwardingTo(SERVER_PORT);

	private static final String CLIENT = "$.components.dualSocket.components.exchange";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@Autowired
	Diagnoses diagnoses;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.hub.port", () -> SERVER_PORT);
		registry.add("dual-socket.endpoints.exchange.port", PROXY::port);
	}

	@AfterAll
	static void closeProxy() throws IOException {
		PROXY.close();
	}

	@Test
	void theVerdictAppearsInTheHealthDetailsTheMetricAndTheApplicationsEvents() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.link("orders-1").getState() == LinkState.NORMAL);
		assertThat(JsonPath.<Map<String, Object>>read(get("/actuator/health").body(), CLIENT + ".details"))
			.doesNotContainKey("diagnosis");

		Sockets.inboundOf(this.exchange.link("orders-1"), PROXY).cut();

		await().atMost(Duration.ofSeconds(10)).until(() -> JsonPath.<Map<String, Object>>read(get("/actuator/health").body(),
				CLIENT + ".details").containsKey("diagnosis"));
		String health = get("/actuator/health").body();
		assertThat((String) JsonPath.read(health, CLIENT + ".details.diagnosis.verdict")).isEqualTo("SOCKET_ONLY");
		assertThat((String) JsonPath.read(health, CLIENT + ".details.diagnosis.socket")).isEqualTo("inbound");
		assertThat((String) JsonPath.read(health, CLIENT + ".details.diagnosis.at")).isNotBlank();
		assertThat((String) JsonPath.read(health, CLIENT + ".details.diagnosis.failure")).startsWith("io error");
		assertThat(JsonPath.<List<String>>read(health, CLIENT + ".details.diagnosis.steps[*].step"))
			.containsExactly("OTHER_SOCKET_PROBE", "PEER_CONNECT", "LOCAL_INTERFACE", "ALTERNATE_CONNECT");
		assertThat((String) JsonPath.read(health, CLIENT + ".details.diagnosis.steps[0].outcome")).isEqualTo("ANSWERED");
		// The server's link has its own diagnosis: its outbound socket was reset, its inbound one answered.
		assertThat((String) JsonPath.read(health,
				"$.components.dualSocket.components.hub.components.orders-1.details.diagnosis.verdict"))
			.isEqualTo("SOCKET_ONLY");

		HttpResponse<String> counted = get(
				"/actuator/metrics/dualsocket.link.diagnoses?tag=endpoint:exchange&tag=socket:inbound&tag=verdict:socket_only");
		assertThat(counted.statusCode()).isEqualTo(200);
		assertThat(((Number) JsonPath.read(counted.body(), "$.measurements[0].value")).doubleValue()).isEqualTo(1.0);
		assertThat(get("/actuator/metrics/dualsocket.link.diagnoses?tag=endpoint:hub&tag=verdict:socket_only")
			.statusCode()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(5)).until(() -> this.diagnoses.of("exchange").contains(FailureVerdict.SOCKET_ONLY));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return new ActuatorHttp(this.port).get(path);
	}


	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

		@Bean
		Diagnoses diagnoses() {
			return new Diagnoses();
		}

	}

	static class Diagnoses {

		private final List<LinkDiagnosedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(LinkDiagnosedEvent event) {
			this.events.add(event);
		}

		List<FailureVerdict> of(String endpoint) {
			return this.events.stream()
				.filter((event) -> event.getEndpoint().equals(endpoint))
				.map(LinkDiagnosedEvent::getVerdict)
				.toList();
		}

	}

}

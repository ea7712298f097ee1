package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
 * What operators see over real HTTP: {@code /actuator/health}, {@code /actuator/dualsocket} and
 * {@code /actuator/metrics}, for a server and a client endpoint in one application whose link runs through a proxy
 * that can cut a socket and hold back its re-connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = ActuatorIntegrationTests.App.class,
		properties = { "management.endpoints.web.exposure.include=health,dualsocket,metrics",
				"management.endpoint.health.show-details=always",
				"management.endpoint.health.group.readiness.include=dualSocket",
				"management.endpoint.health.group.readiness.status.http-mapping.recovering=503",
				"dual-socket.defaults.heartbeat.interval=200ms", "dual-socket.defaults.heartbeat.timeout=2s",
				"dual-socket.defaults.reconnect.max-attempts=200", "dual-socket.defaults.reconnect.initial-backoff=50ms",
				"dual-socket.defaults.reconnect.max-backoff=100ms",
				"dual-socket.defaults.reconnect.after-disconnect.interval=200ms",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.link-id=orders-1" })
class ActuatorIntegrationTests {

	private static final int SERVER_PORT = Sockets.freePort();

	private static final FaultProxy PROXY = FaultProxy.forwardingTo(SERVER_PORT);

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@Autowired
	Transitions transitions;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.hub.port", () -> SERVER_PORT);
		registry.add("dual-socket.endpoints.exchange.port", PROXY::port);
	}

	@AfterAll
	static void closeProxy() throws IOException {
		PROXY.close();
	}

	@BeforeEach
	void linkIsNormal() {
		PROXY.refuseNewConnections(false);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.link("orders-1").getState() == LinkState.NORMAL);
	}

	@Test
	void healthIsUpWithDetailsOfEveryEndpointAndLink() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(JsonPath.read(get("/actuator/health").body(),
				"$.components.dualSocket.components.hub.components.orders-1.status")));

		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		String json = health.body();
		assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("UP");
		assertThat((String) JsonPath.read(json, "$.components.dualSocket.status")).isEqualTo("UP");
		String client = "$.components.dualSocket.components.exchange";
		assertThat((String) JsonPath.read(json, client + ".status")).isEqualTo("UP");
		assertThat((String) JsonPath.read(json, client + ".details.state")).isEqualTo("NORMAL");
		assertThat((String) JsonPath.read(json, client + ".details.since")).isNotBlank();
		assertThat((String) JsonPath.read(json, client + ".details.peer")).contains(String.valueOf(PROXY.port()));
		assertThat((String) JsonPath.read(json, client + ".details.address")).isEqualTo("127.0.0.1:" + PROXY.port());
		assertThat((Boolean) JsonPath.read(json, client + ".details.primary")).isTrue();
		assertThat((Boolean) JsonPath.read(json, client + ".details.outbound.up")).isTrue();
		assertThat((Integer) JsonPath.read(json, client + ".details.inbound.reconnects")).isNotNegative();
		assertThat((Integer) JsonPath.read(json, client + ".details.requestsInFlight")).isNotNegative();
		String server = "$.components.dualSocket.components.hub.components";
		assertThat((String) JsonPath.read(json, server + ".listener.status")).isEqualTo("UP");
		assertThat((String) JsonPath.read(json, server + ".orders-1.details.linkId")).isEqualTo("orders-1");
	}

	@Test
	void recoveringIsReportedWhileASocketIsRecoveredThenUpAgainAndEventsArriveInOrder() throws Exception {
		this.transitions.clear();
		PROXY.refuseNewConnections(true);

		Sockets.inboundOf(this.exchange.link("orders-1"), PROXY).cut();

		await().atMost(Duration.ofSeconds(10)).until(() -> "RECOVERING"
			.equals(JsonPath.read(get("/actuator/health").body(), "$.components.dualSocket.components.exchange.status")));
		HttpResponse<String> recovering = get("/actuator/health");
		assertThat(recovering.statusCode()).as("RECOVERING does not read as DOWN").isEqualTo(200);
		assertThat((String) JsonPath.read(recovering.body(), "$.status")).isEqualTo("RECOVERING");
		assertThat((String) JsonPath.read(recovering.body(), "$.components.dualSocket.components.exchange.details.cause"))
			.startsWith("inbound socket failed");
		assertThat(get("/actuator/health/readiness").statusCode()).as("readiness maps RECOVERING to 503").isEqualTo(503);

		PROXY.refuseNewConnections(false);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> "UP".equals(JsonPath.read(get("/actuator/health").body(), "$.status")));
		// Events arrive on the event threads, a little after the change they report.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.transitions.of("exchange")).containsSubsequence(LinkState.RECOVERING,
					LinkState.NORMAL));
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void dualsocketEndpointListsEndpointsAndLinksAndReconnectsOnRequest() throws Exception {
		String all = get("/actuator/dualsocket").body();
		assertThat((String) JsonPath.read(all, "$.endpoints.exchange.role")).isEqualTo("CLIENT");
		assertThat((String) JsonPath.read(all, "$.endpoints.exchange.links[0].state")).isEqualTo("NORMAL");
		assertThat((String) JsonPath.read(all, "$.endpoints.hub.role")).isEqualTo("SERVER");
		assertThat((String) JsonPath.read(get("/actuator/dualsocket/hub").body(), "$.links[0].linkId"))
			.isEqualTo("orders-1");
		assertThat(get("/actuator/dualsocket/nope").statusCode()).isEqualTo(404);
		String outboundBefore = this.exchange.link("orders-1").snapshot().outbound().localAddress();

		HttpResponse<String> reconnect = post("/actuator/dualsocket/exchange", "{\"operation\":\"reconnect\"}");

		assertThat(reconnect.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(reconnect.body(), "$.link")).isEqualTo("orders-1");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.link("orders-1").getState() == LinkState.NORMAL
					&& !outboundBefore.equals(this.exchange.link("orders-1").snapshot().outbound().localAddress()));
		assertThat(post("/actuator/dualsocket/exchange", "{\"operation\":\"explode\"}").statusCode()).isEqualTo(400);
		assertThat(post("/actuator/dualsocket/hub", "{\"operation\":\"reconnect\",\"link\":\"nope\"}").statusCode())
			.isEqualTo(400);
	}

	@Test
	void metricsOfStatesRequestsFailuresAndRecoveriesExist() throws Exception {
		this.exchange.request("ping", String.class).get(5, TimeUnit.SECONDS);
		Sockets.outboundOf(this.exchange.link("orders-1"), PROXY).cut();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/actuator/metrics/dualsocket.recoveries").statusCode() == 200);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.exchange.link("orders-1").getState() == LinkState.NORMAL);
		String state = "/actuator/metrics/dualsocket.link.state?tag=endpoint:exchange&tag=link:orders-1";
		assertThat(measurement(state + "&tag=state:normal")).as("one gauge per state, 1 for the current").isEqualTo(1.0);
		assertThat(measurement(state + "&tag=state:recovering")).isEqualTo(0.0);
		assertThat(measurement(state + "&tag=state:disconnected")).isEqualTo(0.0);
		assertThat(measurement(state)).as("exactly one state at a time").isEqualTo(1.0);
		assertThat((List<String>) JsonPath.read(get(state).body(), "$.availableTags[?(@.tag=='state')].values[*]"))
			.containsExactlyInAnyOrder("connecting", "normal", "recovering", "disconnected", "closed", "quiesced");
		assertThat(measurement("/actuator/metrics/dualsocket.requests?tag=endpoint:exchange&tag=direction:outbound"))
			.isPositive();
		assertThat(measurement("/actuator/metrics/dualsocket.requests?tag=endpoint:hub&tag=direction:inbound"))
			.isPositive();
		assertThat(measurement("/actuator/metrics/dualsocket.socket.failures?tag=endpoint:exchange&tag=socket:outbound"))
			.isPositive();
		assertThat(measurement("/actuator/metrics/dualsocket.recoveries?tag=endpoint:exchange&tag=procedure:client_outbound"))
			.isPositive();
	}

	private double measurement(String path) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return ((Number) JsonPath.read(response.body(), "$.measurements[0].value")).doubleValue();
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
		Transitions transitions() {
			return new Transitions();
		}

		@Bean
		Object echo(@Qualifier("hub") DualSocketEndpoint hub) {
			hub.setRequestHandler((request) -> request.payload());
			return hub;
		}

	}

	static class Transitions {

		private final List<LinkStateChangedEvent> events = Collections.synchronizedList(new ArrayList<>());

		@EventListener
		void on(LinkStateChangedEvent event) {
			this.events.add(event);
		}

		List<LinkState> of(String endpoint) {
			synchronized (this.events) {
				return this.events.stream().filter((event) -> event.getEndpoint().equals(endpoint))
					.map(LinkStateChangedEvent::getTo).toList();
			}
		}

		void clear() {
			this.events.clear();
		}

	}

}

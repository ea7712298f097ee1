package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /actuator/dualsocket/{endpoint}/events} over real HTTP: each link's recent events, for a client and a
 * server endpoint in one application whose link runs through a proxy that can cut a socket.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = RecentEventsActuatorTests.App.class,
		properties = { "management.endpoints.web.exposure.include=dualsocket",
				"dual-socket.defaults.heartbeat.interval=200ms", "dual-socket.defaults.heartbeat.timeout=2s",
				"dual-socket.defaults.reconnect.initial-backoff=50ms", "dual-socket.defaults.reconnect.max-backoff=100ms",
				"dual-socket.defaults.reconnect.after-disconnect.interval=200ms",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.link-id=orders-1" })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecentEventsActuatorTests {

	private static final int SERVER_PORT = Sockets.freePort();

	private static final FaultProxy PROXY = FaultProxy.forwardingTo(SERVER_PORT);

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
		registry.add("dual-socket.endpoints.exchange.port", PROXY::port);
	}

	@AfterAll
	static void closeProxy() throws IOException {
		PROXY.close();
	}

	@BeforeEach
	void linkIsNormal() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.findLink("orders-1").map((link) -> link.getState() == LinkState.NORMAL)
				.orElse(false) && this.hub.findLink("orders-1").isPresent());
	}

	@Test
	void listsEachLinksRecentEventsWithTimeTypeAndDescriptionOldestFirst() throws Exception {
		Sockets.inboundOf(this.exchange.link("orders-1"), PROXY).cut();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(descriptions("exchange", "orders-1"))
				.anySatisfy((text) -> assertThat(text).contains("NORMAL -> RECOVERING"))
				.anySatisfy((text) -> assertThat(text).contains("RECOVERING -> NORMAL")));
		String body = get("/actuator/dualsocket/exchange/events");
		assertThat((String) JsonPath.read(body, "$.endpoint")).isEqualTo("exchange");
		List<String> types = JsonPath.read(body, "$.links.orders-1[*].type");
		assertThat(types).contains("LinkStateChangedEvent", "SocketFailedEvent", "SocketConnectedEvent");
		List<String> times = JsonPath.read(body, "$.links.orders-1[*].time");
		assertThat(times).allSatisfy((time) -> assertThat(Instant.parse(time)).isBeforeOrEqualTo(Instant.now()));
		assertThat(times.stream().map(Instant::parse).toList()).isSorted();
		assertThat(descriptions("hub", "orders-1")).anySatisfy((text) -> assertThat(text).contains("-> NORMAL"));
	}

	/** Runs last: it stops the client endpoint. */
	@Test
	@Order(Integer.MAX_VALUE)
	void aLinkTheServerForgetsIsForgottenWithItsEvents() throws Exception {
		assertThat((List<String>) JsonPath.read(get("/actuator/dualsocket/hub/events"), "$.links.orders-1[*].type"))
			.isNotEmpty();

		this.exchange.stop(Duration.ofSeconds(2));

		// The client closed both sockets in order: the server closes its link and forgets it.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.hub.findLink("orders-1").isEmpty());
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat((Map<String, Object>) JsonPath.read(get("/actuator/dualsocket/hub/events"),
					"$.links")).doesNotContainKey("orders-1"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(descriptions("exchange", "orders-1")).as("a client's link keeps its events")
				.anySatisfy((text) -> assertThat(text).contains("-> CLOSED")));
	}

	@Test
	void unknownEndpointsAndPathsAreNotFound() throws Exception {
		assertThat(new ActuatorHttp(this.port).get("/actuator/dualsocket/nope/events").statusCode()).isEqualTo(404);
		assertThat(new ActuatorHttp(this.port).get("/actuator/dualsocket/exchange/nope").statusCode()).isEqualTo(404);
	}

	private List<String> descriptions(String endpoint, String linkId) throws Exception {
		return JsonPath.read(get("/actuator/dualsocket/" + endpoint + "/events"),
				"$.links." + linkId + "[*].description");
	}

	private String get(String path) throws Exception {
		var response = new ActuatorHttp(this.port).get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}


	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

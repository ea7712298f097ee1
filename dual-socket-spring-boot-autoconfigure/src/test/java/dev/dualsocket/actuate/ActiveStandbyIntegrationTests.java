package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.LinkState;
import dev.dualsocket.autoconfigure.ha.EndpointLeaderships;
import dev.dualsocket.autoconfigure.ha.LeadershipGrantedEvent;
import dev.dualsocket.autoconfigure.ha.LeadershipRevokedEvent;
import dev.dualsocket.autoconfigure.ha.LeadershipStatus;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.TestDatabase;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;

/**
 * Two instances of one application in one JVM, with an active/standby client endpoint elected on a real PostgreSQL:
 * only the leader connects; the standby's health says {@code STANDBY} over real HTTP and its readiness refuses
 * traffic; when the leader stops, the standby takes over with a higher epoch, and says so in events, the actuator
 * endpoint and its meters.
 */
class ActiveStandbyIntegrationTests {

	private static final Duration LOCK_TTL = Duration.ofSeconds(2);

	private static final String CLIENT = "$.components.dualSocket.components.exchange";

	private final String role = "it-" + UUID.randomUUID();

	private TestDatabase database;

	private TransportResources transport;

	private ServerEndpoint peer;

	private final List<ConfigurableApplicationContext> instances = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		this.database = TestDatabase.require();
		this.transport = TransportResources.create(TransportSettings.defaults());
		this.peer = new ServerEndpoint(EndpointSettings.server("peer", "127.0.0.1", 0, LinkSettings.builder().build()),
				this.transport, DualSocketEventListener.NONE);
		this.peer.start();
	}

	@AfterEach
	void tearDown() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		if (this.transport != null) { // null when skipped for want of a database
			this.peer.stop(Duration.ZERO);
			this.transport.close();
		}
	}

	@Test
	void onlyTheLeaderConnectsTheStandbySaysSoAndTakesOverWithAHigherEpochWhenTheLeaderStops() throws Exception {
		ConfigurableApplicationContext first = instance();
		await().atMost(Duration.ofSeconds(10)).until(() -> status(first).leader()
				&& this.peer.findLink("orders").map((link) -> link.getState() == LinkState.NORMAL).orElse(false));
		ConfigurableApplicationContext second = instance();
		await().atMost(Duration.ofSeconds(10)).until(() -> status(second).since() != null || !status(second).leader());
		assertThat(status(second).leader()).isFalse();
		assertThat(this.peer.links()).hasSize(1);

		ActuatorHttp standby = http(second);
		HttpResponse<String> health = standby.get("/actuator/health");
		assertThat((String) JsonPath.read(health.body(), CLIENT + ".status")).isEqualTo("STANDBY");
		assertThat((String) JsonPath.read(health.body(), CLIENT + ".details.role")).isEqualTo(this.role);
		assertThat((Boolean) JsonPath.read(health.body(), CLIENT + ".details.leader")).isFalse();
		assertThat((String) JsonPath.read(health.body(), CLIENT + ".details.holder")).isEqualTo(status(first).instance());
		assertThat(standby.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		assertThat(http(first).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		HttpResponse<String> leaderView = http(first).get("/actuator/dualsocket/exchange");
		assertThat((Boolean) JsonPath.read(leaderView.body(), "$.ha.leader")).isTrue();
		assertThat((String) JsonPath.read(leaderView.body(), "$.ha.holder")).isEqualTo(status(first).instance());
		long firstEpoch = ((Number) JsonPath.read(leaderView.body(), "$.ha.epoch")).longValue();
		assertThat(firstEpoch).isPositive();

		Recorded firstEvents = first.getBean(Recorded.class);
		first.close();

		await().atMost(LOCK_TTL.plusSeconds(2)).until(() -> status(second).leader()
				&& this.peer.findLink("orders").map((link) -> link.getState() == LinkState.NORMAL).orElse(false));
		assertThat(status(second).epoch()).isGreaterThan(firstEpoch);
		assertThat((String) JsonPath.read(standby.get("/actuator/health").body(), CLIENT + ".status")).isEqualTo("UP");
		assertThat(standby.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(firstEvents.events).hasAtLeastOneElementOfType(LeadershipGrantedEvent.class)
			.hasAtLeastOneElementOfType(LeadershipRevokedEvent.class);
		assertThat(second.getBean(Recorded.class).events).filteredOn(LeadershipGrantedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((LeadershipGrantedEvent) event).getEpoch()).isEqualTo(status(second).epoch()));
		MeterRegistry meters = second.getBean(MeterRegistry.class);
		assertThat(meters.get("dualsocket.ha.leader").tag("endpoint", "exchange").gauge().value()).isEqualTo(1);
		assertThat(meters.get("dualsocket.ha.takeovers").tag("endpoint", "exchange").counter().count()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> meters.get("dualsocket.ha.takeover").tag("endpoint", "exchange").timer().count() == 1);
	}

	private static LeadershipStatus status(ConfigurableApplicationContext instance) {
		return instance.getBean(EndpointLeaderships.class).statusOf("exchange").orElseThrow();
	}

	private static ActuatorHttp http(ConfigurableApplicationContext instance) {
		return new ActuatorHttp(((WebServerApplicationContext) instance).getWebServer().getPort());
	}

	private ConfigurableApplicationContext instance() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).properties(
				"server.port=0", "server.address=127.0.0.1",
				"management.endpoints.web.exposure.include=health,dualsocket",
				"management.endpoint.health.show-details=always",
				"management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,dualSocket",
				"spring.datasource.url=" + this.database.url(), "spring.datasource.username=" + this.database.user(),
				"spring.datasource.password=" + this.database.password(),
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.port=" + this.peer.getLocalAddress().getPort(),
				"dual-socket.endpoints.exchange.link-id=orders",
				"dual-socket.endpoints.exchange.heartbeat.interval=200ms",
				"dual-socket.endpoints.exchange.heartbeat.timeout=600ms",
				"dual-socket.endpoints.exchange.reconnect.after-disconnect.interval=100ms",
				"dual-socket.endpoints.exchange.ha.enabled=true", "dual-socket.endpoints.exchange.ha.role=" + this.role,
				"dual-socket.endpoints.exchange.ha.lock-ttl=" + LOCK_TTL.toMillis() + "ms",
				"dual-socket.endpoints.exchange.ha.heart-beat=200ms")
			.run();
		this.instances.add(context);
		return context;
	}

	/** The application of each instance: auto-configuration and a recorder of leadership events. */
	@EnableAutoConfiguration
	static class App {

		@Bean
		Recorded recorded() {
			return new Recorded();
		}

	}

	/** The leadership events an instance published. */
	static class Recorded implements ApplicationListener<PayloadApplicationEvent<?>> {

		final List<Object> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<?> event) {
			if (event.getPayload() instanceof LeadershipGrantedEvent
					|| event.getPayload() instanceof LeadershipRevokedEvent) {
				this.events.add(event.getPayload());
			}
		}

	}

}

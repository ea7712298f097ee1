package dev.dualsocket.actuate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.TooManyRequestsInFlightException;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.Sockets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code dualsocket.limits.exceeded} counts what each limit refused, per endpoint and limit, in an application whose
 * client endpoint is linked to its own server endpoint over real sockets: a connection beyond the server's
 * {@code max-connections-per-address}, and a request beyond the client's {@code max-requests-in-flight}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, classes = LimitMetricsTests.App.class,
		properties = { "dual-socket.defaults.heartbeat.interval=500ms", "dual-socket.defaults.heartbeat.timeout=5s",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.max-connections-per-address=2",
				"dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
				"dual-socket.endpoints.exchange.link-id=orders-1",
				"dual-socket.endpoints.exchange.max-requests-in-flight=1" })
class LimitMetricsTests {

	private static final int SERVER_PORT = Sockets.freePort();

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@Autowired
	MeterRegistry meters;

	@Autowired
	Gate gate;

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
	void openTheGate() {
		this.gate.open();
	}

	@Test
	void connectionBeyondTheLimitOfItsAddressIsCountedForTheServer() throws Exception {
		double before = exceeded("hub", "connections-per-address");

		// The link's two sockets come from 127.0.0.1 too: a third connection from there is one too many.
		try (RawConnection third = new RawConnection(SERVER_PORT)) {
			assertThat(third.closedByPeer()).isTrue();
		}

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(exceeded("hub", "connections-per-address")).isEqualTo(before + 1));
		assertThat(this.exchange.link("orders-1").getState()).isEqualTo(LinkState.NORMAL);
	}

	@Test
	void requestBeyondTheRequestsInFlightIsCountedForTheClient() throws Exception {
		double before = exceeded("exchange", "requests-in-flight");
		this.gate.close();
		CompletableFuture<String> held = this.exchange.request("held", String.class);
		await().atMost(Duration.ofSeconds(5)).until(this.gate::isHolding);

		CompletableFuture<String> beyond = this.exchange.request("beyond", String.class);

		assertThat(beyond).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(TooManyRequestsInFlightException.class);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(exceeded("exchange", "requests-in-flight")).isEqualTo(before + 1));
		this.gate.open();
		assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("held");
	}

	private double exceeded(String endpoint, String limit) {
		Counter counter = this.meters.find("dualsocket.limits.exceeded")
			.tags("endpoint", endpoint, "limit", limit)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}


	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

		@Bean
		Gate gate(@Qualifier("hub") DualSocketEndpoint hub) {
			Gate gate = new Gate();
			hub.setRequestHandler((request) -> {
				gate.pass();
				return request.payload();
			});
			return gate;
		}

	}

	/** Holds the hub's handler while a test keeps it closed, so that a request stays in flight. */
	static class Gate {

		private volatile CountDownLatch open = new CountDownLatch(0);

		private volatile boolean holding;

		void close() {
			this.open = new CountDownLatch(1);
		}

		void open() {
			this.open.countDown();
		}

		boolean isHolding() {
			return this.holding;
		}

		void pass() throws InterruptedException {
			CountDownLatch current = this.open;
			this.holding = current.getCount() > 0;
			current.await(10, TimeUnit.SECONDS);
			this.holding = false;
		}

	}

}

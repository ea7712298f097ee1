package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.RequestObserver;
import dev.dualsocket.listener.DualSocketListener;
import dev.dualsocket.test.Sockets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/**
 * A user's application around the links, as Spring users write it: {@code @EventListener} methods that throw, their
 * own {@link RequestObserver} and {@link DualSocketEventListener} beans beside the meters, and
 * {@code @RecordApplicationEvents} in their test. The links recover as if the throwing listeners were not there, every
 * observer sees every request, and the test records the links' events.
 */
@SpringBootTest(classes = ApplicationEventsIntegrationTests.App.class,
		properties = { "dual-socket.defaults.heartbeat.interval=200ms", "dual-socket.defaults.heartbeat.timeout=1s",
				"dual-socket.defaults.reconnect.initial-backoff=20ms",
				"dual-socket.defaults.reconnect.after-disconnect.interval=200ms",
				"dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.exchange.role=client",
				"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.link-id=orders-1" })
@RecordApplicationEvents
class ApplicationEventsIntegrationTests {

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@Autowired
	@Qualifier("hub")
	DualSocketEndpoint hub;

	@Autowired
	ApplicationEvents events;

	@Autowired
	ThrowingListeners throwing;

	@Autowired
	CountingObserver observer;

	@Autowired
	CountingEventListener eventListener;

	@Autowired
	MeterRegistry meters;

	private static final int PORT = Sockets.freePort();

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.hub.port", () -> PORT);
		registry.add("dual-socket.endpoints.exchange.port", () -> PORT);
	}


	@BeforeEach
	void linkIsNormal() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.findLink("orders-1").map((l) -> l.getState() == LinkState.NORMAL).orElse(false));
	}

	@Test
	void userRequestObserverAndMetersBothSeeEveryRequest() throws Exception {
		DualSocketLink link = this.exchange.link("orders-1");
		int before = this.observer.outbound.get();
		for (int i = 0; i < 5; i++) {
			assertThat(link.request("ping", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("pong:ping");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.observer.outbound.get() >= before + 5);
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			Timer timer = this.meters.find("dualsocket.requests")
				.tags("endpoint", "exchange", "direction", "outbound", "outcome", "success")
				.timer();
			return timer != null && timer.count() >= 5;
		});
	}

	@Test
	void recordedEventsShowTheRecoveryThatThrowingListenersDidNotStop() throws Exception {
		DualSocketLink link = this.exchange.link("orders-1");
		DualSocketLink serverLink = this.hub.link("orders-1");
		int inboundConnects = link.snapshot().inbound().connects();
		int serverOutboundConnects = serverLink.snapshot().outbound().connects();

		assertThat(link.dropSocket(SocketRole.INBOUND)).isTrue();

		// Both ends recover, the server's under listeners that throw on each of its events.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> link.getState() == LinkState.NORMAL && link.snapshot().inbound().connects() == inboundConnects + 1
					&& serverLink.getState() == LinkState.NORMAL
					&& serverLink.snapshot().outbound().connects() == serverOutboundConnects + 1);
		assertThat(link.request("again", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("pong:again");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.events.stream(LinkStateChangedEvent.class)
				.filter((change) -> change.getEndpoint().equals("exchange"))
				.map(LinkStateChangedEvent::getTo)).containsExactly(LinkState.RECOVERING, LinkState.NORMAL));
		assertThat(this.events.stream(SocketFailedEvent.class)
			.filter((failure) -> failure.getEndpoint().equals("exchange"))
			.map(SocketFailedEvent::getSocket)).containsExactly(SocketRole.INBOUND);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.eventListener.hubStates).as("a DualSocketEventListener bean's view")
				.endsWith(LinkState.RECOVERING, LinkState.NORMAL));
		assertThat(this.throwing.thrown).as("the @EventListener methods really threw").hasValueGreaterThanOrEqualTo(3);
	}

	@SpringBootApplication
	static class App {

		@Bean
		ThrowingListeners throwingListeners() {
			return new ThrowingListeners();
		}

		@Bean
		CountingObserver countingObserver() {
			return new CountingObserver();
		}

		@Bean
		CountingEventListener countingEventListener() {
			return new CountingEventListener();
		}

		@Bean
		Pong pong() {
			return new Pong();
		}

	}

	static class Pong {

		@DualSocketListener("hub")
		String onRequest(String request) {
			return "pong:" + request;
		}

	}

	/**
	 * Listeners with a bug: each throws on every event of the server endpoint. (Spring calls no listener after one that
	 * threw for that event, so they leave the client endpoint's events to the recording.)
	 */
	static class ThrowingListeners {

		final AtomicInteger thrown = new AtomicInteger();

		@EventListener(condition = "#event.endpoint == 'hub'")
		void onFailure(SocketFailedEvent event) {
			this.thrown.incrementAndGet();
			throw new IllegalStateException("listener bug on " + event);
		}

		@EventListener(condition = "#event.endpoint == 'hub'")
		void onChange(LinkStateChangedEvent event) {
			this.thrown.incrementAndGet();
			throw new IllegalStateException("listener bug on " + event);
		}

	}

	static class CountingObserver implements RequestObserver {

		final AtomicInteger outbound = new AtomicInteger();

		@Override
		public void requestCompleted(String endpoint, Direction direction, Outcome outcome, long nanos) {
			if (endpoint.equals("exchange") && direction == Direction.OUTBOUND && outcome == Outcome.SUCCESS) {
				this.outbound.incrementAndGet();
			}
		}

	}

	/** Sees every event, whatever the throwing listeners do. */
	static class CountingEventListener implements DualSocketEventListener {

		final List<LinkState> hubStates = new CopyOnWriteArrayList<>();

		@Override
		public void onEvent(DualSocketEvent event) {
			if (event instanceof LinkStateChangedEvent change && change.getEndpoint().equals("hub")) {
				this.hubStates.add(change.getTo());
			}
		}

	}

}

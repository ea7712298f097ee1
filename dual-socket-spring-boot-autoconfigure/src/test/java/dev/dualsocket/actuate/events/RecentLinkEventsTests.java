package dev.dualsocket.actuate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.QuiesceChangedEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The ring of each link's recent events: bounded, oldest dropped first, one per link.
 */
class RecentLinkEventsTests {

	private final ObjectProvider<DualSocketEndpointRegistry> noEndpoints = new DefaultListableBeanFactory()
		.getBeanProvider(DualSocketEndpointRegistry.class);

	@Test
	void keepsTheLastEventsOfEachLinkUpToItsCapacityOldestFirst() {
		RecentLinkEvents events = new RecentLinkEvents(this.noEndpoints, 3);
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		for (int i = 0; i < 5; i++) {
			events.onEvent(new LinkStateChangedEvent("exchange", "orders-1", LinkState.NORMAL, LinkState.RECOVERING,
					"cut " + i, null, null, start.plusSeconds(i)));
		}
		events.onEvent(new LinkStateChangedEvent("exchange", "orders-2", LinkState.CONNECTING, LinkState.NORMAL,
				"established", null, null, start));

		assertThat(events.of("exchange", "orders-1")).extracting(RecentLinkEvents.Entry::description)
			.containsExactly("exchange/orders-1 NORMAL -> RECOVERING (cut 2)",
					"exchange/orders-1 NORMAL -> RECOVERING (cut 3)", "exchange/orders-1 NORMAL -> RECOVERING (cut 4)");
		assertThat(events.of("exchange", "orders-1")).extracting(RecentLinkEvents.Entry::type)
			.containsOnly("LinkStateChangedEvent");
		assertThat(events.of("exchange", "orders-1").get(0).time()).isEqualTo(start.plusSeconds(2));
		assertThat(events.of("exchange", "orders-2")).hasSize(1);
		assertThat(events.linksOf("exchange")).containsExactlyInAnyOrder("orders-1", "orders-2");
		assertThat(events.of("exchange", "nope")).isEmpty();
	}

	@Test
	void keepsNoEventAboutNoLink() {
		RecentLinkEvents events = new RecentLinkEvents(this.noEndpoints, RecentLinkEvents.DEFAULT_CAPACITY);

		events.onEvent(new QuiesceChangedEvent("exchange", true, Instant.now()));

		assertThat(events.linksOf("exchange")).isEmpty();
	}

}

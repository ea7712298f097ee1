package dev.dualsocket.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.dualsocket.LinkState;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.transport.EventThreads;
import org.jspecify.annotations.Nullable;

/**
 * Keeps every event, in the order it was published. Events arrive on the engine's event threads a little after the
 * change they report; every read first waits for the events handed over so far, so that a test that has seen a change
 * also sees its event.
 */
public final class RecordingEvents implements DualSocketEventListener {

	private final List<DualSocketEvent> events = new CopyOnWriteArrayList<>();

	private volatile @Nullable EventThreads delivery;

	/**
	 * Makes every read wait until these event threads have delivered what they were handed.
	 * @param threads the transport's event threads
	 */
	public void deliveredBy(EventThreads threads) {
		this.delivery = threads;
	}

	private void catchUp() {
		EventThreads threads = this.delivery;
		if (threads != null) {
			threads.awaitDelivered(Duration.ofSeconds(5));
		}
	}

	@Override
	public void onEvent(DualSocketEvent event) {
		this.events.add(event);
	}

	public List<DualSocketEvent> all() {
		catchUp();
		return List.copyOf(this.events);
	}

	public <E extends DualSocketEvent> List<E> ofType(Class<E> type) {
		catchUp();
		List<E> matching = new ArrayList<>();
		for (DualSocketEvent event : this.events) {
			if (type.isInstance(event)) {
				matching.add(type.cast(event));
			}
		}
		return matching;
	}

	public <E extends DualSocketEvent> List<E> ofType(Class<E> type, String endpoint) {
		return ofType(type).stream().filter((event) -> event.getEndpoint().equals(endpoint)).collect(Collectors.toList());
	}

	/**
	 * The state changes of one endpoint's links.
	 * @param endpoint the endpoint
	 * @return the changes, in order
	 */
	public List<LinkStateChangedEvent> stateChanges(String endpoint) {
		return ofType(LinkStateChangedEvent.class, endpoint);
	}

	/**
	 * The states one endpoint's links moved to, in order.
	 * @param endpoint the endpoint
	 * @return the target states
	 */
	public List<LinkState> states(String endpoint) {
		return stateChanges(endpoint).stream().map(LinkStateChangedEvent::getTo).collect(Collectors.toList());
	}

	/**
	 * The states one link moved to, in order.
	 * @param endpoint the endpoint
	 * @param linkId the link
	 * @return the target states
	 */
	public List<LinkState> states(String endpoint, String linkId) {
		return stateChanges(endpoint).stream()
			.filter((event) -> event.getLinkId().equals(linkId))
			.map(LinkStateChangedEvent::getTo)
			.collect(Collectors.toList());
	}

	public void clear() {
		catchUp();
		this.events.clear();
	}

}

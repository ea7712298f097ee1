package dev.dualsocket.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.dualsocket.LinkState;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;

/**
 * Keeps every event, in the order it was published.
 */
public final class RecordingEvents implements DualSocketEventListener {

	private final List<DualSocketEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onEvent(DualSocketEvent event) {
		this.events.add(event);
	}

	public List<DualSocketEvent> all() {
		return List.copyOf(this.events);
	}

	public <E extends DualSocketEvent> List<E> ofType(Class<E> type) {
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
		this.events.clear();
	}

}

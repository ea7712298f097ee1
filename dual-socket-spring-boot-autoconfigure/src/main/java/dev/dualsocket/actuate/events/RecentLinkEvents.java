package dev.dualsocket.actuate.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The last events of each link, for {@code GET /actuator/dualsocket/{endpoint}/events}: a ring of at most
 * {@link #DEFAULT_CAPACITY} events per link, the oldest dropped first. A server's link is forgotten with its events
 * when the server forgets the link (it closes); events about no link (a connection refused before it joined one) are
 * not kept. Told on the engine's event threads, in each link's order.
 */
public final class RecentLinkEvents implements DualSocketEventListener {

	/** Events kept per link. */
	public static final int DEFAULT_CAPACITY = 100;

	/** Characters of an event's description kept at most. */
	private static final int MAX_DESCRIPTION = 300;

	private final ObjectProvider<DualSocketEndpointRegistry> endpoints;

	private final int capacity;

	private final Map<LinkKey, ArrayDeque<Entry>> rings = new ConcurrentHashMap<>();

	/**
	 * @param endpoints the endpoints, to tell a server's link (forgotten when it closes) from a client's
	 * @param capacity events kept per link
	 */
	public RecentLinkEvents(ObjectProvider<DualSocketEndpointRegistry> endpoints, int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
		}
		this.endpoints = endpoints;
		this.capacity = capacity;
	}

	@Override
	public void onEvent(DualSocketEvent event) {
		String linkId = event.getLinkId();
		if (linkId == null) {
			return;
		}
		LinkKey link = new LinkKey(event.getEndpoint(), linkId);
		if (event instanceof LinkStateChangedEvent change && change.getTo() == LinkState.CLOSED
				&& isServer(event.getEndpoint())) {
			this.rings.remove(link);
			return;
		}
		ArrayDeque<Entry> ring = this.rings.computeIfAbsent(link, (key) -> new ArrayDeque<>(this.capacity));
		Entry entry = new Entry(event.getTime(), event.getClass().getSimpleName(), describe(event));
		synchronized (ring) {
			if (ring.size() == this.capacity) {
				ring.removeFirst();
			}
			ring.addLast(entry);
		}
	}

	/**
	 * The events kept for a link, oldest first.
	 * @param endpoint the endpoint's name
	 * @param linkId the link's id
	 * @return the events, none for a link it knows nothing of
	 */
	public List<Entry> of(String endpoint, String linkId) {
		ArrayDeque<Entry> ring = this.rings.get(new LinkKey(endpoint, linkId));
		if (ring == null) {
			return List.of();
		}
		synchronized (ring) {
			return List.copyOf(ring);
		}
	}

	/**
	 * The links of an endpoint that have events kept.
	 * @param endpoint the endpoint's name
	 * @return their ids, in no particular order
	 */
	public List<String> linksOf(String endpoint) {
		return this.rings.keySet().stream().filter((key) -> key.endpoint.equals(endpoint)).map(LinkKey::linkId).toList();
	}

	/** The event's own text without its type's name around it, shortened. */
	private static String describe(DualSocketEvent event) {
		String type = event.getClass().getSimpleName();
		if (event instanceof SocketConnectedEvent connected) {
			return connected.getSocket().label() + " socket connected " + connected.getLocalAddress() + " -> "
					+ connected.getRemoteAddress();
		}
		String text = event.toString();
		if (text.startsWith(type + "[") && text.endsWith("]")) {
			text = text.substring(type.length() + 1, text.length() - 1);
		}
		else if (text.startsWith(event.getClass().getName() + "@")) {
			text = type; // no text of its own
		}
		return (text.length() <= MAX_DESCRIPTION) ? text : text.substring(0, MAX_DESCRIPTION) + "...";
	}

	private boolean isServer(String endpoint) {
		DualSocketEndpointRegistry registry = this.endpoints.getIfAvailable();
		return registry != null && registry.find(endpoint)
			.map(DualSocketEndpoint::getRole)
			.filter((role) -> role == EndpointRole.SERVER)
			.isPresent();
	}

	/**
	 * One event.
	 *
	 * @param time when it happened
	 * @param type the event's type, for example {@code LinkStateChangedEvent}
	 * @param description what happened, in a line
	 */
	public record Entry(Instant time, String type, String description) {
	}

	private record LinkKey(String endpoint, String linkId) {
	}

}

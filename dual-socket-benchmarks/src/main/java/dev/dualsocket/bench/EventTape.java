package dev.dualsocket.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.event.SocketFailedEvent;

/**
 * Records every event of the endpoints it is given to, each with the {@link System#nanoTime()} at which it was
 * published (listeners are called on the thread where the event happened, so that is when it happened), and counts
 * socket connections per endpoint and socket.
 */
public final class EventTape implements DualSocketEventListener {

	/**
	 * One event and when.
	 *
	 * @param nanos {@link System#nanoTime()} when it was published
	 * @param event the event
	 */
	public record Timed(long nanos, DualSocketEvent event) {

		public boolean isFailure(String endpoint, SocketRole role) {
			return this.event instanceof SocketFailedEvent failed && failed.getEndpoint().equals(endpoint)
					&& failed.getSocket() == role;
		}

		public boolean isConnect(String endpoint, SocketRole role) {
			return this.event instanceof SocketConnectedEvent connected && connected.getEndpoint().equals(endpoint)
					&& connected.getSocket() == role;
		}

		public boolean isStateChange(String endpoint, LinkState to) {
			return this.event instanceof LinkStateChangedEvent change && change.getEndpoint().equals(endpoint)
					&& change.getTo() == to;
		}

	}

	private final List<Timed> events = new ArrayList<>();

	private final ConcurrentHashMap<String, AtomicInteger> connects = new ConcurrentHashMap<>();

	@Override
	public void onEvent(DualSocketEvent event) {
		long now = System.nanoTime();
		if (event instanceof SocketConnectedEvent connected) {
			this.connects.computeIfAbsent(key(connected.getEndpoint(), connected.getSocket()), (k) -> new AtomicInteger())
				.incrementAndGet();
		}
		synchronized (this.events) {
			this.events.add(new Timed(now, event));
		}
	}

	private static String key(String endpoint, SocketRole role) {
		return endpoint + "/" + role;
	}

	/** How many connections have been attached to the given socket of the given endpoint's link. */
	public int connects(String endpoint, SocketRole role) {
		AtomicInteger count = this.connects.get(key(endpoint, role));
		return (count != null) ? count.get() : 0;
	}

	public int size() {
		synchronized (this.events) {
			return this.events.size();
		}
	}

	/** The events from the given position on. */
	public List<Timed> since(int position) {
		synchronized (this.events) {
			return new ArrayList<>(this.events.subList(position, this.events.size()));
		}
	}

}

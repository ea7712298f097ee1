package dev.dualsocket.event;

import java.util.List;

/**
 * Receives every event of the endpoints it is given to. Called on one of the engine's event threads, never on an I/O
 * thread and never while a link's lock is held, in the order the events happened for one link. A listener that
 * throws is logged at WARN and changes nothing in the link; one that blocks delays only the later events of the same
 * link (and holds one of the few event threads), never its I/O, heartbeats or recovery.
 */
@FunctionalInterface
public interface DualSocketEventListener {

	/** A listener that drops every event. */
	DualSocketEventListener NONE = (event) -> {
	};

	/**
	 * Called for each event.
	 * @param event the event
	 */
	void onEvent(DualSocketEvent event);

	/**
	 * One listener that calls each of several in turn; one that throws is logged at WARN and the others are still
	 * called.
	 * @param listeners the listeners, in the order they are called
	 * @return the composite ({@link #NONE} for none)
	 */
	static DualSocketEventListener of(List<? extends DualSocketEventListener> listeners) {
		if (listeners.isEmpty()) {
			return NONE;
		}
		return new CompositeEventListener(List.copyOf(listeners));
	}

}

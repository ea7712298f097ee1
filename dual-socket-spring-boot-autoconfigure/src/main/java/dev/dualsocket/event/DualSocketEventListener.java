package dev.dualsocket.event;

/**
 * Receives every event of the endpoints it is given to. Called on the thread where the event happened (an I/O
 * thread or a recovery thread), in the order the events happened for one link, so it must return quickly.
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

}

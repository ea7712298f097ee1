package dev.dualsocket.event;

import java.time.Instant;

/**
 * An endpoint was quiesced or resumed as a whole (seed 002): {@code endpoint.quiesce()}, {@code endpoint.resume()} or
 * the actuator's operations. Each of its links that is up also reports its move to or from
 * {@link dev.dualsocket.LinkState#QUIESCED} as a {@link LinkStateChangedEvent}; this event also comes for an endpoint
 * that has no link yet.
 */
public class QuiesceChangedEvent extends DualSocketEvent {

	private final boolean quiesced;

	public QuiesceChangedEvent(String endpoint, boolean quiesced, Instant time) {
		super(endpoint, null, time);
		this.quiesced = quiesced;
	}

	/** @return whether the endpoint is now quiesced */
	public boolean isQuiesced() {
		return this.quiesced;
	}

	@Override
	public String toString() {
		return "QuiesceChangedEvent[" + getEndpoint() + (this.quiesced ? " quiesced]" : " resumed]");
	}

}

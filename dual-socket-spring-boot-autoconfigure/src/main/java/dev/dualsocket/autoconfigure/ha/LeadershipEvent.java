package dev.dualsocket.autoconfigure.ha;

import java.time.Instant;

import dev.dualsocket.event.DualSocketEvent;

/**
 * A change of this instance's leadership of an active/standby endpoint.
 */
public abstract class LeadershipEvent extends DualSocketEvent {

	private final String role;

	private final long epoch;

	private final String instance;

	protected LeadershipEvent(String endpoint, String role, long epoch, String instance, Instant time) {
		super(endpoint, null, time);
		this.role = role;
		this.epoch = epoch;
		this.instance = instance;
	}

	/** The leadership role the instances compete for. */
	public String getRole() {
		return this.role;
	}

	/** The fencing epoch of the leadership that began or ended. */
	public long getEpoch() {
		return this.epoch;
	}

	/** This instance's id in the coordination store. */
	public String getInstance() {
		return this.instance;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[endpoint=" + getEndpoint() + ", role=" + this.role + ", epoch="
				+ this.epoch + ", instance=" + this.instance + "]";
	}

}

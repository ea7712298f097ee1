package dev.dualsocket.autoconfigure.ha;

import java.time.Instant;

import dev.dualsocket.event.DualSocketEvent;

/**
 * This instance no longer leads an active/standby endpoint's role (its lock was lost or given up, or the application
 * stops): the endpoint is stopped here in order, and another instance takes over.
 */
public class LeadershipRevokedEvent extends DualSocketEvent {

	private final String role;

	private final long epoch;

	private final String instance;

	private final String reason;

	public LeadershipRevokedEvent(String endpoint, String role, long epoch, String instance, String reason,
			Instant time) {
		super(endpoint, null, time);
		this.role = role;
		this.epoch = epoch;
		this.instance = instance;
		this.reason = reason;
	}

	public String getRole() {
		return this.role;
	}

	/** The epoch of the leadership that ended. */
	public long getEpoch() {
		return this.epoch;
	}

	public String getInstance() {
		return this.instance;
	}

	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "LeadershipRevokedEvent[endpoint=" + getEndpoint() + ", role=" + this.role + ", epoch=" + this.epoch
				+ ", instance=" + this.instance + ", reason=" + this.reason + "]";
	}

}

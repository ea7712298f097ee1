package dev.dualsocket.autoconfigure.ha;

import java.time.Instant;

import dev.dualsocket.event.DualSocketEvent;

/**
 * This instance became the leader of an active/standby endpoint's role: the endpoint starts here, with the epoch that
 * fences off any earlier leader (section 4.6 of docs/PROTOCOL.md).
 */
public class LeadershipGrantedEvent extends DualSocketEvent {

	private final String role;

	private final long epoch;

	private final String instance;

	public LeadershipGrantedEvent(String endpoint, String role, long epoch, String instance, Instant time) {
		super(endpoint, null, time);
		this.role = role;
		this.epoch = epoch;
		this.instance = instance;
	}

	public String getRole() {
		return this.role;
	}

	public long getEpoch() {
		return this.epoch;
	}

	public String getInstance() {
		return this.instance;
	}

	@Override
	public String toString() {
		return "LeadershipGrantedEvent[endpoint=" + getEndpoint() + ", role=" + this.role + ", epoch=" + this.epoch
				+ ", instance=" + this.instance + "]";
	}

}

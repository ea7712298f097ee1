package dev.dualsocket.autoconfigure.ha;

import java.time.Instant;

/**
 * This instance no longer leads an active/standby endpoint's role (its lock was lost or given up, or the application
 * stops): the endpoint is stopped here in order, and another instance takes over.
 */
public class LeadershipRevokedEvent extends LeadershipEvent {

	private final String reason;

	public LeadershipRevokedEvent(String endpoint, String role, long epoch, String instance, String reason,
			Instant time) {
		super(endpoint, role, epoch, instance, time);
		this.reason = reason;
	}

	/** Why the leadership ended. */
	public String getReason() {
		return this.reason;
	}

}

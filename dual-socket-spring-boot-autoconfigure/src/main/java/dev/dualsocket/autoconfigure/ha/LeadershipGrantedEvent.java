package dev.dualsocket.autoconfigure.ha;

import java.time.Instant;

/**
 * This instance became the leader of an active/standby endpoint's role: the endpoint starts here, with the epoch that
 * fences off any earlier leader (section 4.6 of docs/PROTOCOL.md).
 */
public class LeadershipGrantedEvent extends LeadershipEvent {

	public LeadershipGrantedEvent(String endpoint, String role, long epoch, String instance, Instant time) {
		super(endpoint, role, epoch, instance, time);
	}

}

package dev.dualsocket.autoconfigure.ha;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where an active/standby endpoint stands on this instance.
 *
 * @param role the leadership role the instances compete for
 * @param leader whether this instance leads it now, and so runs the endpoint
 * @param epoch the fencing epoch of this instance's leadership; the last one it held, or 0 if it never led
 * @param instance this instance's id in the coordination store
 * @param since when it became leader or standby
 * @param holder the instance id of the leader as the coordination store says now, or {@code null} if none holds the
 * role or the store cannot tell
 */
public record LeadershipStatus(String role, boolean leader, long epoch, String instance, @Nullable Instant since,
		@Nullable String holder) {
}

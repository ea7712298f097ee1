package dev.dualsocket.autoconfigure.ha;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Hands out fencing epochs (section 4.6 of docs/PROTOCOL.md): per role, a number that grows each time an instance
 * becomes leader, and only while it holds the role's lock. A bean of this type replaces the JDBC one, for a
 * {@code LockRegistry} that is not JDBC.
 */
@FunctionalInterface
public interface LeaderEpochs {

	/**
	 * Draws the next epoch for a role, which the caller has just been elected to lead.
	 * @param role the role
	 * @return the epoch, or empty if the caller no longer holds the role's lock
	 */
	OptionalLong next(String role);

	/**
	 * Which instance holds a role's lock now, as the coordination store says.
	 * @param role the role
	 * @return the instance id of the holder, or empty if nobody holds it or the store cannot tell
	 */
	default Optional<String> holder(String role) {
		return Optional.empty();
	}

}

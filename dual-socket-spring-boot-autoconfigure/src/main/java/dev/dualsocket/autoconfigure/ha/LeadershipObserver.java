package dev.dualsocket.autoconfigure.ha;

import java.time.Duration;

/**
 * Told when this instance becomes or stops being the leader of an active/standby endpoint, and how long each takeover
 * took; the metrics implement it. Calls come on the leader election's threads and must not block.
 */
public interface LeadershipObserver {

	/** Tells nothing to nobody. */
	LeadershipObserver NONE = new LeadershipObserver() {
	};

	/**
	 * This instance now leads the endpoint.
	 * @param endpoint the endpoint's name
	 */
	default void granted(String endpoint) {
	}

	/**
	 * This instance no longer leads the endpoint.
	 * @param endpoint the endpoint's name
	 */
	default void revoked(String endpoint) {
	}

	/**
	 * The endpoint is up after this instance was granted leadership: listening (server) or its link {@code NORMAL}
	 * (client).
	 * @param endpoint the endpoint's name
	 * @param duration from the grant to then
	 */
	default void takeover(String endpoint, Duration duration) {
	}

}

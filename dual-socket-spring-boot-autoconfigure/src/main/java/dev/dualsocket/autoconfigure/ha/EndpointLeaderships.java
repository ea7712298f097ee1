package dev.dualsocket.autoconfigure.ha;

import java.util.Optional;

/**
 * The leadership of this instance's active/standby endpoints, for health, the actuator endpoint and metrics.
 */
public interface EndpointLeaderships {

	/**
	 * Where an endpoint stands.
	 * @param endpoint the endpoint's name
	 * @return its leadership, or empty if the endpoint does not run active/standby
	 */
	Optional<LeadershipStatus> statusOf(String endpoint);

}

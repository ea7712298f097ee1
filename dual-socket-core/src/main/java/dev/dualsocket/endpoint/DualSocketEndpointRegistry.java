package dev.dualsocket.endpoint;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


/**
 * The application's dual-socket endpoints, by name.
 */
public class DualSocketEndpointRegistry {

	private final Map<String, DualSocketEndpoint> endpoints = new LinkedHashMap<>();

	public DualSocketEndpointRegistry(Collection<? extends DualSocketEndpoint> endpoints) {
		for (DualSocketEndpoint endpoint : endpoints) {
			DualSocketEndpoint previous = this.endpoints.putIfAbsent(endpoint.getName(), endpoint);
			if (previous != null && previous != endpoint) {
				throw new IllegalStateException("Two dual-socket endpoints are named '" + endpoint.getName() + "'");
			}
		}
	}

	/**
	 * The endpoint with the given name.
	 * @param name the name under {@code dual-socket.endpoints}
	 * @return the endpoint
	 * @throws IllegalArgumentException if there is none; the message lists the names there are
	 */
	public DualSocketEndpoint get(String name) {
		return find(name).orElseThrow(() -> new IllegalArgumentException(
				"No dual-socket endpoint named '" + name + "'; the endpoints are " + this.endpoints.keySet()));
	}

	public Optional<DualSocketEndpoint> find(String name) {
		return Optional.ofNullable(this.endpoints.get(name));
	}

	/**
	 * All endpoints, in the order they were configured.
	 * @return the endpoints
	 */
	public List<DualSocketEndpoint> all() {
		return List.copyOf(this.endpoints.values());
	}

	public Collection<String> names() {
		return List.copyOf(this.endpoints.keySet());
	}

}

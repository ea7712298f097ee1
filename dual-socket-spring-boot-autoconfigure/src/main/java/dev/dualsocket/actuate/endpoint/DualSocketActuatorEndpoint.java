package dev.dualsocket.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.dualsocket.actuate.LinkDetails;
import dev.dualsocket.actuate.events.RecentLinkEvents;
import dev.dualsocket.autoconfigure.ha.EndpointLeaderships;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/dualsocket}: lists every endpoint with its links ({@code GET}), one endpoint
 * ({@code GET /{endpoint}}), and runs an operation ({@code POST /{endpoint}} with {@code {"operation":"..."}}):
 * {@code reconnect} a link (with {@code "link"} to pick one of a server's links), {@code quiesce} or {@code resume}
 * the whole endpoint, or with {@code "link"} only that link. {@code GET /{endpoint}/events} lists each link's recent
 * events (time, type, description), oldest first, from a bounded ring per link.
 */
@Endpoint(id = "dualsocket")
public class DualSocketActuatorEndpoint {

	/** Drops a link and establishes it again. */
	public static final String RECONNECT = "reconnect";

	/** Pauses the endpoint, or one link, keeping the links up (seed 002). */
	public static final String QUIESCE = "quiesce";

	/** Ends a quiesce: the held requests are served in arrival order. */
	public static final String RESUME = "resume";

	private static final List<String> OPERATIONS = List.of(RECONNECT, QUIESCE, RESUME);

	/** The second path segment of the read operation that lists recent events. */
	public static final String EVENTS = "events";

	private final DualSocketEndpointRegistry registry;

	private final @Nullable RecentLinkEvents recentEvents;

	private final EndpointLeaderships leaderships;

	public DualSocketActuatorEndpoint(DualSocketEndpointRegistry registry) {
		this(registry, null);
	}

	/**
	 * @param registry the endpoints
	 * @param recentEvents each link's recent events, or {@code null} to list none
	 */
	public DualSocketActuatorEndpoint(DualSocketEndpointRegistry registry, @Nullable RecentLinkEvents recentEvents) {
		this(registry, recentEvents, (endpoint) -> Optional.empty());
	}

	/**
	 * @param registry the endpoints
	 * @param recentEvents each link's recent events, or {@code null} to list none
	 * @param leaderships where the active/standby endpoints stand, shown under {@code ha}: role, leader, epoch,
	 * instance
	 */
	public DualSocketActuatorEndpoint(DualSocketEndpointRegistry registry, @Nullable RecentLinkEvents recentEvents,
			EndpointLeaderships leaderships) {
		this.registry = registry;
		this.recentEvents = recentEvents;
		this.leaderships = leaderships;
	}

	@ReadOperation
	public Map<String, Object> endpoints() {
		Map<String, Object> endpoints = new LinkedHashMap<>();
		this.registry.all().forEach((endpoint) -> endpoints.put(endpoint.getName(), describe(endpoint)));
		return Map.of("endpoints", endpoints);
	}

	@ReadOperation
	public @Nullable Map<String, Object> endpoint(@Selector String name) {
		return this.registry.find(name).map(this::describe).orElse(null);
	}

	/**
	 * {@code GET /{endpoint}/events}: each link's recent events, oldest first.
	 * @param name the endpoint's name
	 * @param events {@value #EVENTS}
	 * @return the endpoint's links with their events, or {@code null} (404) for an unknown endpoint or path
	 */
	@ReadOperation
	public @Nullable Map<String, Object> events(@Selector String name, @Selector String events) {
		DualSocketEndpoint endpoint = this.registry.find(name).orElse(null);
		if (endpoint == null || !EVENTS.equals(events)) {
			return null;
		}
		TreeSet<String> linkIds = new TreeSet<>(linkIds(endpoint));
		if (this.recentEvents != null) {
			linkIds.addAll(this.recentEvents.linksOf(name));
		}
		Map<String, Object> links = new LinkedHashMap<>();
		for (String linkId : linkIds) {
			List<RecentLinkEvents.Entry> entries = (this.recentEvents != null) ? this.recentEvents.of(name, linkId)
					: List.of();
			links.put(linkId, entries.stream().map((entry) -> Map.of("time", entry.time().toString(), "type",
					entry.type(), "description", entry.description())).toList());
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("endpoint", name);
		result.put("links", links);
		return result;
	}

	@WriteOperation
	public @Nullable Map<String, Object> operate(@Selector String name, String operation, @Nullable String link) {
		DualSocketEndpoint endpoint = this.registry.find(name).orElse(null);
		if (endpoint == null) {
			return null;
		}
		if (!OPERATIONS.contains(operation)) {
			throw new InvalidEndpointRequestException("Unknown operation '" + operation + "'; supported: "
					+ String.join(", ", OPERATIONS), "Unknown operation");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("endpoint", name);
		result.put("operation", operation);
		if (link == null && !RECONNECT.equals(operation)) {
			if (QUIESCE.equals(operation)) {
				endpoint.quiesce();
			}
			else {
				endpoint.resume();
			}
			result.put("quiesced", endpoint.isQuiesced());
			result.put("links", endpoint.links().stream().map((each) -> Map.of("link", each.getId(), "state",
					each.getState().name())).toList());
			return result;
		}
		String linkId = (link != null) ? link : soleLinkOf(endpoint);
		DualSocketLink target = endpoint.findLink(linkId).orElseThrow(() -> new InvalidEndpointRequestException(
				"Endpoint '" + name + "' has no link '" + linkId + "'; its links are " + linkIds(endpoint),
				"Unknown link"));
		switch (operation) {
			case QUIESCE -> target.quiesce();
			case RESUME -> target.resume();
			default -> target.reconnect();
		}
		result.put("link", linkId);
		result.put("quiesced", target.isQuiesced());
		result.put("state", target.getState().name());
		return result;
	}

	private static String soleLinkOf(DualSocketEndpoint endpoint) {
		List<String> ids = linkIds(endpoint);
		if (ids.size() != 1) {
			throw new InvalidEndpointRequestException("Endpoint '" + endpoint.getName() + "' has " + ids.size()
					+ " links " + ids + "; name one with \"link\"", "Link required");
		}
		return ids.get(0);
	}

	private static List<String> linkIds(DualSocketEndpoint endpoint) {
		return endpoint.links().stream().map(DualSocketLink::getId).sorted().toList();
	}

	private Map<String, Object> describe(DualSocketEndpoint endpoint) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("role", endpoint.getRole().name());
		description.put("running", endpoint.isRunning());
		description.put("quiesced", endpoint.isQuiesced());
		if (endpoint instanceof ServerEndpoint server && server.isRunning()) {
			description.put("address", String.valueOf(server.getLocalAddress()));
		}
		if (endpoint instanceof ClientEndpoint client) {
			description.put("address", String.valueOf(client.getCurrentAddress()));
		}
		description.put("links", endpoint.links().stream().map((link) -> LinkDetails.of(link.snapshot())).toList());
		this.leaderships.statusOf(endpoint.getName()).ifPresent((status) -> {
			Map<String, Object> ha = new LinkedHashMap<>();
			ha.put("role", status.role());
			ha.put("leader", status.leader());
			ha.put("epoch", status.epoch());
			ha.put("instance", status.instance());
			ha.put("holder", String.valueOf(status.holder()));
			if (status.since() != null) {
				ha.put("since", String.valueOf(status.since()));
			}
			description.put("ha", ha);
		});
		return description;
	}

}

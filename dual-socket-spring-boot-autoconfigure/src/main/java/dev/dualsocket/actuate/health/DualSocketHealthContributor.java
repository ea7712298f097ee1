package dev.dualsocket.actuate.health;

import java.util.Optional;
import java.util.stream.Stream;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.autoconfigure.ha.EndpointLeaderships;
import dev.dualsocket.autoconfigure.ha.LeadershipStatus;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.link.DualSocketLink;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code dualSocket} health component: one entry per endpoint. A client endpoint's entry is its link's health; a
 * server endpoint's entry holds its listener and one entry per client link.
 */
public final class DualSocketHealthContributor implements CompositeHealthContributor {

	/** The status of an active/standby endpoint on an instance that does not lead it. */
	public static final Status STANDBY = new Status("STANDBY");

	private final DualSocketEndpointRegistry registry;

	private final EndpointLeaderships leaderships;

	public DualSocketHealthContributor(DualSocketEndpointRegistry registry) {
		this(registry, (endpoint) -> Optional.empty());
	}

	/**
	 * @param registry the endpoints
	 * @param leaderships where the active/standby endpoints stand: one this instance does not lead is
	 * {@code STANDBY}, with its role, epoch and instance
	 */
	public DualSocketHealthContributor(DualSocketEndpointRegistry registry, EndpointLeaderships leaderships) {
		this.registry = registry;
		this.leaderships = leaderships;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.registry.find(name).map(this::contributorOf).orElse(null);
	}

	@Override
	public Stream<Entry> stream() {
		return this.registry.all().stream().map((endpoint) -> new Entry(endpoint.getName(), contributorOf(endpoint)));
	}

	private HealthContributor contributorOf(DualSocketEndpoint endpoint) {
		Optional<LeadershipStatus> leadership = this.leaderships.statusOf(endpoint.getName());
		if (leadership.isPresent() && !leadership.get().leader()) {
			LeadershipStatus standby = leadership.get();
			return (HealthIndicator) () -> Health.status(STANDBY)
				.withDetail("role", standby.role())
				.withDetail("leader", false)
				.withDetail("epoch", standby.epoch())
				.withDetail("instance", standby.instance())
				.withDetail("holder", String.valueOf(standby.holder()))
				.build();
		}
		if (endpoint.getRole() == EndpointRole.SERVER) {
			return new ServerEndpointHealthContributor(endpoint);
		}
		return (HealthIndicator) () -> endpoint.links()
			.stream()
			.findFirst()
			.map((DualSocketLink link) -> withAddress(endpoint, new LinkHealthIndicator(link).health()))
			.orElseGet(() -> Health.unknown().withDetail("state", "not started").build());
	}

	/** A client's link health with the address it uses now and whether that is its primary one. */
	private static Health withAddress(DualSocketEndpoint endpoint, Health health) {
		if (!(endpoint instanceof ClientEndpoint client)) {
			return health;
		}
		return Health.status(health.getStatus())
			.withDetails(health.getDetails())
			.withDetail("address", String.valueOf(client.getCurrentAddress()))
			.withDetail("primary", client.isOnPrimary())
			.build();
	}

	/** A link id as a health entry name: a slash would split the entry's path. */
	static String nameOf(String linkId) {
		return linkId.replace('/', '_');
	}

}

package dev.dualsocket.actuate.health;

import java.util.stream.Stream;

import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of a server endpoint: a {@code listener} entry (UP while it listens), and one entry per client link,
 * read afresh on every call as links come and go.
 */
final class ServerEndpointHealthContributor implements CompositeHealthContributor {

	static final String LISTENER = "listener";

	private final DualSocketEndpoint endpoint;

	ServerEndpointHealthContributor(DualSocketEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		if (LISTENER.equals(name)) {
			return listener();
		}
		return this.endpoint.links()
			.stream()
			.filter((link) -> DualSocketHealthContributor.nameOf(link.getId()).equals(name))
			.findFirst()
			.map(LinkHealthIndicator::new)
			.orElse(null);
	}

	@Override
	public Stream<Entry> stream() {
		return Stream.concat(Stream.of(new Entry(LISTENER, listener())),
				this.endpoint.links()
					.stream()
					.map((link) -> new Entry(DualSocketHealthContributor.nameOf(link.getId()), new LinkHealthIndicator(link))));
	}

	private HealthIndicator listener() {
		return () -> {
			if (!this.endpoint.isRunning()) {
				return Health.outOfService().build();
			}
			Health.Builder health = Health.up().withDetail("links", this.endpoint.links().size());
			if (this.endpoint instanceof ServerEndpoint server) {
				health.withDetail("address", String.valueOf(server.getLocalAddress()));
			}
			return health.build();
		};
	}

}

package dev.dualsocket.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the endpoints with the application context (servers first, so that a client in the same application finds
 * its server listening) and stops them in order on shutdown: every link tells its peer, takes no new requests and gives
 * those in flight up to {@code spring.lifecycle.timeout-per-shutdown-phase} to finish. Starts before and stops after
 * the web server, so that web requests still in progress during a graceful shutdown can use their links.
 */
public class DualSocketEndpointLifecycle implements SmartLifecycle {

	/** Just before the web server's phases, so endpoints start earlier and stop later. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final DualSocketEndpointRegistry registry;

	private final Duration drainTimeout;

	private final Set<String> startedElsewhere;

	private volatile boolean running;

	public DualSocketEndpointLifecycle(DualSocketEndpointRegistry registry, Duration drainTimeout) {
		this(registry, drainTimeout, Set.of());
	}

	/**
	 * @param registry the endpoints
	 * @param drainTimeout how long stopping waits for requests in flight
	 * @param startedElsewhere the names of the endpoints that something else starts and stops (the active/standby
	 * ones, which run only while this instance leads them)
	 */
	public DualSocketEndpointLifecycle(DualSocketEndpointRegistry registry, Duration drainTimeout,
			Set<String> startedElsewhere) {
		this.registry = registry;
		this.drainTimeout = drainTimeout;
		this.startedElsewhere = Set.copyOf(startedElsewhere);
	}

	private List<DualSocketEndpoint> endpoints() {
		return this.registry.all().stream().filter((endpoint) -> !this.startedElsewhere.contains(endpoint.getName()))
			.toList();
	}

	@Override
	public void start() {
		List<DualSocketEndpoint> endpoints = endpoints();
		endpoints.stream().filter((endpoint) -> endpoint.getRole() == EndpointRole.SERVER).forEach(DualSocketEndpoint::start);
		endpoints.stream().filter((endpoint) -> endpoint.getRole() == EndpointRole.CLIENT).forEach(DualSocketEndpoint::start);
		this.running = true;
	}

	@Override
	public void stop() {
		stopAll().join();
	}

	@Override
	public void stop(Runnable callback) {
		stopAll().whenComplete((result, failure) -> callback.run());
	}

	private CompletableFuture<Void> stopAll() {
		this.running = false;
		List<DualSocketEndpoint> endpoints = endpoints();
		CompletableFuture<?>[] stopping = new CompletableFuture<?>[endpoints.size()];
		for (int i = 0; i < stopping.length; i++) {
			DualSocketEndpoint endpoint = endpoints.get(i);
			stopping[i] = new CompletableFuture<Void>();
			CompletableFuture<?> done = stopping[i];
			Thread stopper = new Thread(() -> {
				try {
					endpoint.stop(this.drainTimeout);
				}
				finally {
					done.complete(null);
				}
			}, "dual-socket-stop-" + endpoint.getName());
			stopper.start();
		}
		return CompletableFuture.allOf(stopping);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Not pauseable: a paused context (Spring Framework 7's test context cache pauses the contexts it keeps but does
	 * not use) would otherwise stop the endpoints, and every link would be closed and its peer told so, only to be
	 * established again when the context is used next. Links are long-lived; to pause their work, quiesce the
	 * endpoints instead, which keeps the links up.
	 * @return {@code false}
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}

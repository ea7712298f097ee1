package dev.dualsocket.autoconfigure.ha;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.dualsocket.autoconfigure.DualSocketEndpointLifecycle;
import dev.dualsocket.autoconfigure.DualSocketProperties;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.ha.ServedRequestStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Runs every active/standby endpoint through a {@link LockRegistryLeaderInitiator} of its own: the endpoint starts on
 * this instance when it is elected for the endpoint's role and stops when it is not any more. Starts after and stops
 * before the other endpoints ({@link DualSocketEndpointLifecycle}); on stop, a leading endpoint is closed in order and
 * the role is given up at once, so that a standby takes over without waiting for the lock to expire.
 */
final class HaEndpoints implements SmartLifecycle, EndpointLeaderships, DualSocketEventListener {

	private final DualSocketProperties properties;

	private final ObjectProvider<DualSocketEndpointRegistry> registry;

	/** The registry of each endpoint's locks, made for its lock-ttl: the application's, or a JdbcLockRegistry. */
	private final Function<Duration, LockRegistry<?>> locks;

	/** Makes the store of served requests an endpoint with ha.shared-store shares with the other instances. */
	private final Function<Duration, ServedRequestStore> sharedStores;

	private final LeaderEpochs epochs;

	private final String instance;

	private final Duration drainTimeout;

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<DualSocketEventListener> listeners;

	private final LeadershipObserver observer;

	private final List<Running> running = new ArrayList<>();

	private volatile boolean started;

	HaEndpoints(DualSocketProperties properties, ObjectProvider<DualSocketEndpointRegistry> registry,
			Function<Duration, LockRegistry<?>> locks, Function<Duration, ServedRequestStore> sharedStores,
			LeaderEpochs epochs, String instance, Duration drainTimeout,
			ApplicationEventPublisher publisher, ObjectProvider<DualSocketEventListener> listeners,
			LeadershipObserver observer) {
		this.properties = properties;
		this.registry = registry;
		this.locks = locks;
		this.sharedStores = sharedStores;
		this.epochs = epochs;
		this.instance = instance;
		this.drainTimeout = drainTimeout;
		this.publisher = publisher;
		this.listeners = listeners;
		this.observer = observer;
	}

	/** The role an endpoint's instances compete for. */
	static String roleOf(String endpoint, DualSocketProperties.Ha ha) {
		String role = ha.getRole();
		return (role != null && !role.isBlank()) ? role : "dual-socket." + endpoint;
	}

	@Override
	public synchronized void start() {
		if (this.started) {
			return;
		}
		DualSocketEndpointRegistry endpoints = this.registry.getObject();
		DualSocketEventListener events = DualSocketEventListener
			.of(this.listeners.orderedStream().filter((listener) -> listener != this).toList());
		Map<String, DualSocketProperties.Endpoint> activeStandby = this.properties.activeStandbyEndpoints();
		for (Map.Entry<String, DualSocketProperties.Endpoint> entry : activeStandby.entrySet()) {
			DualSocketProperties.Ha ha = entry.getValue().getHa();
			DualSocketEndpoint endpoint = endpoints.find(entry.getKey())
				.orElseThrow(() -> new IllegalStateException("No endpoint bean for '" + entry.getKey() + "'"));
			if (ha.isSharedStore()) {
				endpoint.setServedRequestStore(this.sharedStores.apply(ha.getSharedStoreRetention()));
			}
			EndpointLeadership leadership = new EndpointLeadership(endpoint, roleOf(entry.getKey(), ha), this.instance,
					this.epochs, minimum(this.drainTimeout, ha.getLockTtl()), events, this.observer);
			LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(this.locks.apply(ha.getLockTtl()),
					leadership);
			initiator.setHeartBeatMillis(ha.getHeartBeat().toMillis());
			initiator.setBusyWaitMillis(ha.getBusyWait().toMillis());
			initiator.setApplicationEventPublisher(this.publisher);
			initiator.setAutoStartup(false);
			this.running.add(new Running(leadership, initiator));
			initiator.start();
		}
		this.started = true;
	}

	private static Duration minimum(Duration first, Duration second) {
		return (first.compareTo(second) <= 0) ? first : second;
	}

	@Override
	public synchronized void stop() {
		for (Running each : this.running) {
			each.initiator.stop();
			each.leadership.revoke("the application is stopping");
		}
		this.running.clear();
		this.started = false;
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	@Override
	public int getPhase() {
		return DualSocketEndpointLifecycle.PHASE + 1;
	}

	@Override
	public Optional<LeadershipStatus> statusOf(String endpoint) {
		return runningOf(endpoint).map((each) -> each.leadership.status());
	}

	private Optional<Running> runningOf(String endpoint) {
		synchronized (this) {
			return this.running.stream().filter((each) -> each.leadership.endpointName().equals(endpoint)).findFirst();
		}
	}

	@Override
	public void onEvent(DualSocketEvent event) {
		if (event instanceof LinkStateChangedEvent change) {
			runningOf(change.getEndpoint()).ifPresent((each) -> each.leadership.onLinkState(change));
		}
	}

	/** The instance's id in the coordination store. */
	String instance() {
		return this.instance;
	}

	private record Running(EndpointLeadership leadership, LockRegistryLeaderInitiator initiator) {

		Running {
			Objects.requireNonNull(leadership);
			Objects.requireNonNull(initiator);
		}

	}

}

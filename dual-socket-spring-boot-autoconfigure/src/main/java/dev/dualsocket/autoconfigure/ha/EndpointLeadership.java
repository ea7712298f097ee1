package dev.dualsocket.autoconfigure.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;

/**
 * One active/standby endpoint's candidacy for its role: granted, it draws a fencing epoch and starts the endpoint;
 * revoked, it stops the endpoint in order. Runs on the leader election's thread.
 */
final class EndpointLeadership implements Candidate {

	private static final Log logger = LogFactory.getLog(EndpointLeadership.class);

	private final DualSocketEndpoint endpoint;

	private final String role;

	private final String instance;

	private final LeaderEpochs epochs;

	private final Duration drainTimeout;

	private final DualSocketEventListener events;

	private final LeadershipObserver observer;

	private volatile boolean leader;

	private volatile long epoch;

	private volatile @Nullable Instant since;

	/** When leadership was granted, until the endpoint is up; 0 otherwise. */
	private volatile long grantedNanos;

	EndpointLeadership(DualSocketEndpoint endpoint, String role, String instance, LeaderEpochs epochs,
			Duration drainTimeout, DualSocketEventListener events, LeadershipObserver observer) {
		this.endpoint = endpoint;
		this.role = role;
		this.instance = instance;
		this.epochs = epochs;
		this.drainTimeout = drainTimeout;
		this.events = events;
		this.observer = observer;
	}

	@Override
	public String getRole() {
		return this.role;
	}

	@Override
	public String getId() {
		return this.instance;
	}

	@Override
	public void onGranted(Context context) {
		long granted = System.nanoTime();
		OptionalLong drawn;
		try {
			drawn = this.epochs.next(this.role);
		}
		catch (RuntimeException ex) {
			logger.warn("Endpoint '" + this.endpoint.getName() + "' won role '" + this.role + "' but could not draw a "
					+ "fencing epoch (" + ex + "); it gives the role up and tries again", ex);
			context.yield();
			return;
		}
		if (drawn.isEmpty()) {
			logger.warn("Endpoint '" + this.endpoint.getName() + "' won role '" + this.role + "' but its lock had "
					+ "expired or been taken by another instance before it drew an epoch; it gives the role up");
			context.yield();
			return;
		}
		long current = drawn.getAsLong();
		this.epoch = current;
		this.endpoint.setFencingEpoch(() -> current);
		this.grantedNanos = granted;
		this.leader = true;
		this.since = Instant.now();
		logger.info("Endpoint '" + this.endpoint.getName() + "' leads role '" + this.role + "' with epoch " + current
				+ " (instance " + this.instance + "): starting it");
		this.events.onEvent(new LeadershipGrantedEvent(this.endpoint.getName(), this.role, current, this.instance,
				this.since));
		this.observer.granted(this.endpoint.getName());
		try {
			this.endpoint.start();
		}
		catch (RuntimeException ex) {
			logger.warn("Endpoint '" + this.endpoint.getName() + "' could not start as the leader of role '" + this.role
					+ "' (" + ex.getMessage() + "); it gives the role up so that another instance can take it", ex);
			context.yield();
			return;
		}
		if (this.endpoint.getRole() == EndpointRole.SERVER) {
			up(); // listening is being up for a server; a client is up once its link is NORMAL
		}
	}

	@Override
	public void onRevoked(Context context) {
		revoke("the lock of role '" + this.role + "' was lost or given up");
	}

	/**
	 * Stops the endpoint if this instance leads; at most once per leadership, and a second caller waits for the
	 * first: the application's shutdown must find the endpoint stopped in order.
	 * @param reason why, for the log and the event
	 */
	synchronized void revoke(String reason) {
		if (!this.leader) {
			return;
		}
		// The leader election interrupts its thread when it stops: the orderly close below must not be cut short.
		boolean interrupted = Thread.interrupted();
		this.leader = false;
		this.grantedNanos = 0;
		this.since = Instant.now();
		logger.info("Endpoint '" + this.endpoint.getName() + "' no longer leads role '" + this.role + "' (epoch "
				+ this.epoch + ", instance " + this.instance + "): " + reason + "; stopping it, within "
				+ this.drainTimeout.toMillis() + " ms. The instance that takes over runs it with a higher epoch");
		try {
			this.endpoint.stop(this.drainTimeout);
		}
		finally {
			this.endpoint.setFencingEpoch(() -> 0);
			this.events.onEvent(new LeadershipRevokedEvent(this.endpoint.getName(), this.role, this.epoch,
					this.instance, reason, Instant.now()));
			this.observer.revoked(this.endpoint.getName());
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** A client's link reached NORMAL: the takeover is complete. */
	void onLinkState(LinkStateChangedEvent change) {
		if (change.getTo() == LinkState.NORMAL && change.getEndpoint().equals(this.endpoint.getName())) {
			up();
		}
	}

	private void up() {
		long granted = this.grantedNanos;
		if (granted != 0 && this.leader) {
			this.grantedNanos = 0;
			this.observer.takeover(this.endpoint.getName(), Duration.ofNanos(System.nanoTime() - granted));
		}
	}

	String endpointName() {
		return this.endpoint.getName();
	}

	LeadershipStatus status() {
		String holder;
		if (this.leader) {
			holder = this.instance;
		}
		else {
			try {
				holder = this.epochs.holder(this.role).orElse(null);
			}
			catch (RuntimeException ex) {
				holder = null; // the store is not reachable now: health and the actuator still answer
			}
		}
		return new LeadershipStatus(this.role, this.leader, this.epoch, this.instance, this.since, holder);
	}

}

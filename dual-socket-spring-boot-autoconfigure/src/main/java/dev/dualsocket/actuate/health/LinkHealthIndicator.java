package dev.dualsocket.actuate.health;

import java.time.Instant;

import dev.dualsocket.LinkState;
import dev.dualsocket.actuate.LinkDetails;
import dev.dualsocket.link.ConnectAttempts;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSnapshot;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one link: {@code NORMAL} is UP, {@code QUIESCED} is {@link #QUIESCED} and {@code RECOVERING} is
 * {@link #RECOVERING} (both between UP and DOWN, HTTP 200 unless mapped otherwise), {@code CONNECTING} and
 * {@code DISCONNECTED} are DOWN, {@code CLOSED} is OUT_OF_SERVICE. A client's link that is down after a failed attempt
 * to connect says why in its {@code reason} detail.
 */
public final class LinkHealthIndicator implements HealthIndicator {

	/** A link is recovering from a socket failure; it still carries requests, which wait for the socket. */
	public static final Status RECOVERING = new Status("RECOVERING", "a socket failed and is being recovered");

	/** A link is up, but this side or the peer paused its application: requests wait, nothing failed. */
	public static final Status QUIESCED = new Status("QUIESCED", "the link is up and quiesced by this side or the peer");

	private final DualSocketLink link;

	public LinkHealthIndicator(DualSocketLink link) {
		this.link = link;
	}

	@Override
	public Health health() {
		LinkSnapshot snapshot = this.link.snapshot();
		Health.Builder health = Health.status(statusOf(snapshot.state())).withDetails(LinkDetails.of(snapshot));
		String reason = notConnectedReason(snapshot);
		if (reason != null) {
			health.withDetail("reason", reason);
		}
		return health.build();
	}

	/**
	 * Why a client's link is down because it could not connect: its last failed attempt, with the attempt number and
	 * when the next is due.
	 */
	private static @Nullable String notConnectedReason(LinkSnapshot snapshot) {
		ConnectAttempts attempts = snapshot.connectAttempts();
		if (attempts == null || (snapshot.state() != LinkState.CONNECTING && snapshot.state() != LinkState.DISCONNECTED)) {
			return null;
		}
		String lastFailure = attempts.describeLastFailure(Instant.now());
		return (lastFailure != null) ? "not connected: " + lastFailure : null;
	}

	/**
	 * The health status that stands for a link state.
	 * @param state the state
	 * @return the status
	 */
	public static Status statusOf(LinkState state) {
		return switch (state) {
			case NORMAL -> Status.UP;
			case QUIESCED -> QUIESCED;
			case RECOVERING -> RECOVERING;
			case CONNECTING, DISCONNECTED -> Status.DOWN;
			case CLOSED -> Status.OUT_OF_SERVICE;
		};
	}

}

package dev.dualsocket.test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSnapshot;
import dev.dualsocket.link.SocketSnapshot;

/**
 * Waits for links to reach a state, and says why when they do not: a failed wait throws an {@link AssertionError}
 * that names the link, the state it is in and why it got there (from {@link DualSocketLink#snapshot()}), so a test
 * that fails tells what the link was doing.
 *
 * <pre class="code">
 * LinkStates.awaitState(link, LinkState.NORMAL, Duration.ofSeconds(5));
 * </pre>
 *
 * <p>The wait polls the link every few milliseconds, bounded by the timeout; a state the link passes through
 * between two looks may be missed, so await the state a link stays in (record the events to see every change).
 */
public final class LinkStates {

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private LinkStates() {
	}

	/**
	 * Returns as soon as the link is in the state.
	 * @param link the link
	 * @param state the state to wait for
	 * @param timeout how long to wait at the most
	 * @return the link's snapshot in that state
	 * @throws AssertionError if the link is not in the state by the timeout
	 */
	public static LinkSnapshot awaitState(DualSocketLink link, LinkState state, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			LinkSnapshot snapshot = link.snapshot();
			if (snapshot.state() == state) {
				return snapshot;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError(describe(snapshot, state, timeout));
			}
			LockSupport.parkNanos(POLL_NANOS);
		}
	}

	/**
	 * Returns as soon as an endpoint has a link with the id and that link is in the state: for a server endpoint,
	 * whose links come into being when their clients connect.
	 * @param endpoint the endpoint
	 * @param linkId the link's id
	 * @param state the state to wait for
	 * @param timeout how long to wait at the most
	 * @return the link
	 * @throws AssertionError if there is no such link in that state by the timeout
	 */
	public static DualSocketLink awaitLink(DualSocketEndpoint endpoint, String linkId, LinkState state,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Optional<DualSocketLink> link = endpoint.findLink(linkId);
			Optional<LinkSnapshot> snapshot = link.map(DualSocketLink::snapshot);
			if (snapshot.isPresent() && snapshot.get().state() == state) {
				return link.get();
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError(snapshot.map((found) -> describe(found, state, timeout))
					.orElseGet(() -> "Endpoint '" + endpoint.getName() + "' has no link '" + linkId + "' after "
							+ timeout.toMillis() + " ms; it has "
							+ endpoint.links().stream().map(DualSocketLink::getId).toList()));
			}
			LockSupport.parkNanos(POLL_NANOS);
		}
	}

	private static String describe(LinkSnapshot snapshot, LinkState expected, Duration timeout) {
		return "Link '" + snapshot.endpoint() + "/" + snapshot.linkId() + "' is " + snapshot.state() + ", not " + expected
				+ ", after " + timeout.toMillis() + " ms; " + snapshot.state() + " since " + snapshot.since()
				+ ", cause: " + snapshot.cause() + "; " + describe(snapshot.outbound()) + "; " + describe(snapshot.inbound())
				+ "; requests in flight: " + snapshot.requestsInFlight();
	}

	private static String describe(SocketSnapshot socket) {
		StringBuilder text = new StringBuilder(socket.role().label()).append(" socket ");
		text.append(socket.up() ? "up " + socket.localAddress() + " -> " + socket.remoteAddress() : "down");
		text.append(", ").append(socket.connects()).append(" connects, ").append(socket.failures()).append(" failures");
		if (socket.lastFailure() != null) {
			text.append(", last: ").append(socket.lastFailure());
		}
		return text.toString();
	}

}

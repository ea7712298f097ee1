package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import dev.dualsocket.FailureCause;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats run on each socket on its own, so each socket's liveness is known on its own.
 */
class HeartbeatTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofMillis(600);

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void blackHoledOutboundSocketIsReportedWithinTimeoutPlusOneIntervalWhileInboundStaysUp() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		try (FaultProxy proxy = new FaultProxy(server.getLocalAddress().getPort())) {
			ClientEndpoint client = this.bed.client("client", "link-1", proxy.port(), TestBed.FAST);
			DualSocketLink link = client.link("link-1");
			TestBed.awaitNormal(link);
			await().atMost(Duration.ofSeconds(5)).until(() -> link.snapshot().outbound().heartbeatRoundTrip() != null
					&& link.snapshot().inbound().heartbeatRoundTrip() != null);
			SocketSnapshot inboundBefore = link.snapshot().inbound();
			FaultProxy.Connection outbound = Sockets.outboundOf(link, proxy);

			Instant blackHoled = Instant.now();
			outbound.blackHole();

			await().atMost(Duration.ofSeconds(5))
				.until(() -> !this.bed.events.ofType(SocketFailedEvent.class, "client").isEmpty());
			SocketFailedEvent failure = this.bed.events.ofType(SocketFailedEvent.class, "client").get(0);
			assertThat(failure.getSocket()).isEqualTo(SocketRole.OUTBOUND);
			assertThat(failure.getFailure().cause()).isIn(FailureCause.SILENCE, FailureCause.HEARTBEAT_TIMEOUT);
			assertThat(Duration.between(blackHoled, failure.getTime())).isLessThanOrEqualTo(TIMEOUT.plus(INTERVAL));
			// The inbound socket is the same connection as before and never failed.
			assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client"))
				.noneMatch((event) -> event.getSocket() == SocketRole.INBOUND);
			SocketSnapshot inboundAfter = link.snapshot().inbound();
			assertThat(inboundAfter.up()).isTrue();
			assertThat(inboundAfter.localAddress()).isEqualTo(inboundBefore.localAddress());
			assertThat(inboundAfter.connects()).isEqualTo(inboundBefore.connects());
		}
	}

	@Test
	void heartbeatRoundTripIsMeasuredOnEachSocket() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(link.snapshot().outbound().heartbeatRoundTrip()).isPositive().isLessThan(TIMEOUT);
			assertThat(link.snapshot().inbound().heartbeatRoundTrip()).isPositive().isLessThan(TIMEOUT);
		});
	}

}

package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CONNECTING;
import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.dualsocket.test.RecoveryAssertions.assertAllBy;
import static dev.dualsocket.test.RecoveryAssertions.assertSameConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.ProxiedLink;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's recovery procedures, every branch of Figs. 5 and 6 forced with real faults on real connections.
 */
class ClientRecoveryTests {

	/** Heartbeats slow enough that the probe, not silence, decides; four quick re-connect attempts. */
	private static final LinkSettings SETTINGS = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
		.requestTimeout(Duration.ofSeconds(10))
		.connectTimeout(Duration.ofSeconds(2))
		.reconnect(4, Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
		.afterDisconnect(true, Duration.ofMillis(300), LinkSettings.AfterDisconnect.UNLIMITED)
		.recovery(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(10))
		.build();

	/** Fifty re-connect attempts: a procedure that keeps trying for seconds while the proxy refuses connections. */
	private static final LinkSettings PATIENT = SETTINGS.toBuilder()
		.reconnect(50, Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
		.build();

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void clientRecoversInboundSocketWhenOutboundProbeSucceeds() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, SETTINGS, SETTINGS)) {
			FaultProxy.Connection outbound = link.clientOutbound();
			String outboundAddress = link.clientLink.snapshot().outbound().localAddress();
			FaultProxy.Connection inbound = link.clientInbound();
			this.bed.events.clear();

			inbound.cut();

			this.bed.awaitStates("client", RECOVERING, NORMAL);
			assertAllBy(clientChanges(), RecoveryProcedure.CLIENT_INBOUND, SocketRole.INBOUND);
			LinkSnapshot snapshot = link.clientLink.snapshot();
			assertSameConnection(snapshot.outbound(), outbound, outboundAddress);
			assertThat(snapshot.inbound().connects()).isEqualTo(2);
			assertThat(link.clientLink.request(new byte[] { 7 }).get(5, TimeUnit.SECONDS)).containsExactly(7);
		}
	}

	@Test
	void clientDisconnectsWhenInboundFailsAndOutboundDoesNotAnswerTheProbe() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, SETTINGS, SETTINGS)) {
			FaultProxy.Connection outbound = link.clientOutbound();
			FaultProxy.Connection inbound = link.clientInbound();
			this.bed.events.clear();

			outbound.blackHole();
			inbound.cut();

			this.bed.awaitStates("client", RECOVERING, DISCONNECTED);
			LinkStateChangedEvent disconnected = clientChanges().get(1);
			assertThat(disconnected.getCause()).isEqualTo("the outbound socket did not answer the probe");
			assertThat(disconnected.getProcedure()).isEqualTo(RecoveryProcedure.CLIENT_INBOUND);
			await().atMost(Duration.ofSeconds(5)).until(outbound::closedByClient); // block 525
			// After the patent's DISCONNECTED the client re-establishes the whole link.
			await().atMost(Duration.ofSeconds(10)).until(() -> link.clientLink.getState() == NORMAL);
			assertThat(this.bed.events.states("client")).startsWith(RECOVERING, DISCONNECTED, CONNECTING)
				.endsWith(NORMAL);
		}
	}

	@Test
	void clientDisconnectsAfterExactlyMaxAttemptsToReconnectInbound() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, SETTINGS, SETTINGS)) {
			FaultProxy.Connection outbound = link.clientOutbound();
			this.bed.events.clear();

			link.proxy.refuseNewConnections(true);
			link.clientInbound().cut();

			this.bed.awaitStates("client", RECOVERING, DISCONNECTED);
			assertThat(clientChanges().get(1).getCause())
				.isEqualTo("the inbound socket could not be re-connected in 4 attempts");
			List<ReconnectAttemptEvent> attempts = attempts(RecoveryProcedure.CLIENT_INBOUND);
			assertThat(attempts).extracting(ReconnectAttemptEvent::getAttempt).containsExactly(1, 2, 3, 4);
			assertThat(attempts).allSatisfy((attempt) -> {
				assertThat(attempt.isSuccessful()).isFalse();
				assertThat(attempt.getSocket()).isEqualTo(SocketRole.INBOUND);
			});
			assertThat(attempts.get(0).getDelay()).isZero();
			assertThat(attempts.get(1).getDelay()).isPositive();
			await().atMost(Duration.ofSeconds(5)).until(outbound::closedByClient); // block 525

			link.proxy.refuseNewConnections(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> link.clientLink.getState() == NORMAL);
		}
	}

	@Test
	void clientRecoversOutboundSocketAndLeavesInboundUntouched() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, SETTINGS, SETTINGS)) {
			FaultProxy.Connection inbound = link.clientInbound();
			String inboundAddress = link.clientLink.snapshot().inbound().localAddress();
			this.bed.events.clear();

			link.clientOutbound().cut();

			this.bed.awaitStates("client", RECOVERING, NORMAL);
			assertAllBy(clientChanges(), RecoveryProcedure.CLIENT_OUTBOUND, SocketRole.OUTBOUND);
			LinkSnapshot snapshot = link.clientLink.snapshot();
			assertSameConnection(snapshot.inbound(), inbound, inboundAddress);
			assertThat(snapshot.outbound().connects()).isEqualTo(2);
		}
	}

	@Test
	void clientDisconnectsAfterExactlyMaxAttemptsToReconnectOutbound() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, SETTINGS, SETTINGS)) {
			FaultProxy.Connection inbound = link.clientInbound();
			this.bed.events.clear();

			link.proxy.refuseNewConnections(true);
			link.clientOutbound().cut();

			this.bed.awaitStates("client", RECOVERING, DISCONNECTED);
			assertThat(clientChanges().get(1).getCause())
				.isEqualTo("the outbound socket could not be re-connected in 4 attempts");
			assertThat(attempts(RecoveryProcedure.CLIENT_OUTBOUND)).extracting(ReconnectAttemptEvent::getAttempt)
				.containsExactly(1, 2, 3, 4);
			await().atMost(Duration.ofSeconds(5)).until(inbound::closedByClient); // block 645
		}
	}

	@Test
	void outboundFailureWaitsForTheRunningInboundRecoveryThenRecoversOnItsOwn() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, PATIENT, SETTINGS)) {
			FaultProxy.Connection outbound = link.clientOutbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);
			link.clientInbound().cut();
			await().atMost(Duration.ofSeconds(5)).until(() -> !attempts(RecoveryProcedure.CLIENT_INBOUND).isEmpty());

			outbound.cut(); // while Fig. 5 is re-connecting the inbound socket (blocks 615-620)
			link.proxy.refuseNewConnections(false);

			this.bed.awaitStates("client", RECOVERING, NORMAL, RECOVERING, NORMAL);
			assertThat(clientChanges()).extracting(LinkStateChangedEvent::getProcedure)
				.containsExactly(RecoveryProcedure.CLIENT_INBOUND, RecoveryProcedure.CLIENT_INBOUND,
						RecoveryProcedure.CLIENT_OUTBOUND, RecoveryProcedure.CLIENT_OUTBOUND);
			assertThat(link.clientLink.request(new byte[] { 9 }).get(5, TimeUnit.SECONDS)).containsExactly(9);
		}
	}

	@Test
	void waitForTheRunningProcedureIsBoundedByTheRecoveryTimeout() throws Exception {
		LinkSettings shortRecoveryTimeout = PATIENT.toBuilder()
			.recovery(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMillis(500))
			.build();
		try (ProxiedLink link = new ProxiedLink(this.bed, shortRecoveryTimeout, SETTINGS)) {
			FaultProxy.Connection outbound = link.clientOutbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);
			link.clientInbound().cut();
			await().atMost(Duration.ofSeconds(5)).until(() -> !attempts(RecoveryProcedure.CLIENT_INBOUND).isEmpty());

			outbound.cut();

			this.bed.awaitStates("client", RECOVERING, DISCONNECTED);
			assertThat(clientChanges().get(1).getCause())
				.isEqualTo("a recovery procedure did not finish within recovery.timeout (500 ms)");
			int attemptsAtDisconnect = attempts(RecoveryProcedure.CLIENT_INBOUND).size();
			assertThat(attemptsAtDisconnect).isLessThan(50);
			assertThat(clientChanges()).noneMatch((change) -> change.getProcedure() == RecoveryProcedure.CLIENT_OUTBOUND);
			link.proxy.refuseNewConnections(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> link.clientLink.getState() == NORMAL);
			// The cancelled procedure made no further attempt after it was given up.
			assertThat(attempts(RecoveryProcedure.CLIENT_INBOUND)).hasSizeLessThanOrEqualTo(attemptsAtDisconnect + 1);
		}
	}

	@Test
	void droppingASocketOnRequestRunsItsRecoveryProcedure() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, SETTINGS, SETTINGS)) {
			this.bed.events.clear();

			assertThat(link.clientLink.dropSocket(SocketRole.INBOUND)).isTrue();

			this.bed.awaitStates("client", RECOVERING, NORMAL);
			assertThat(clientChanges().get(0).getCause())
				.isEqualTo("inbound socket failed: io error: connection dropped on request");
			assertThat(link.clientLink.snapshot().inbound().connects()).isEqualTo(2);
		}
	}


	private List<LinkStateChangedEvent> clientChanges() {
		return this.bed.events.stateChanges("client");
	}

	private List<ReconnectAttemptEvent> attempts(RecoveryProcedure procedure) {
		return this.bed.events.ofType(ReconnectAttemptEvent.class, "client")
			.stream()
			.filter((attempt) -> attempt.getProcedure() == procedure)
			.toList();
	}

}

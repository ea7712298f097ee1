package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CLOSED;
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

import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.ProxiedLink;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's recovery procedures, every branch of Figs. 7 and 8 forced with real faults on real connections. The
 * server never dials out; these tests control when the client may come back by letting the proxy refuse new
 * connections.
 */
class ServerRecoveryTests {

	private static final LinkSettings SERVER = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
		.requestTimeout(Duration.ofSeconds(10))
		.connectTimeout(Duration.ofSeconds(2))
		.recovery(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(10))
		.build();

	/** A client that keeps trying to re-connect for about five seconds. */
	private static final LinkSettings CLIENT = SERVER.toBuilder()
		.reconnect(50, Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
		.afterDisconnect(true, Duration.ofMillis(300), LinkSettings.AfterDisconnect.UNLIMITED)
		.recovery(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(10))
		.build();

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void serverWaitsForTheClientToReconnectInboundWhenOutboundProbeSucceeds() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, SERVER)) {
			FaultProxy.Connection serverOutbound = link.clientInbound();
			String serverOutboundAddress = link.serverLink.snapshot().outbound().localAddress();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);

			link.clientOutbound().cut();
			this.bed.awaitStates("server", RECOVERING);
			link.proxy.refuseNewConnections(false);

			this.bed.awaitStates("server", RECOVERING, NORMAL);
			assertAllBy(serverChanges(), RecoveryProcedure.SERVER_INBOUND, SocketRole.INBOUND);
			LinkSnapshot snapshot = link.serverLink.snapshot();
			assertSameConnection(snapshot.outbound(), serverOutbound, serverOutboundAddress);
			assertThat(snapshot.inbound().connects()).isEqualTo(2);
		}
	}

	@Test
	void serverDisconnectsWhenInboundFailsAndOutboundDoesNotAnswerTheProbe() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, SERVER)) {
			FaultProxy.Connection serverOutbound = link.clientInbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);

			serverOutbound.blackHole();
			link.clientOutbound().cut();

			this.bed.awaitStates("server", RECOVERING, DISCONNECTED);
			LinkStateChangedEvent disconnected = serverChanges().get(1);
			assertThat(disconnected.getCause()).isEqualTo("the outbound socket did not answer the probe");
			assertThat(disconnected.getProcedure()).isEqualTo(RecoveryProcedure.SERVER_INBOUND);
			await().atMost(Duration.ofSeconds(5)).until(serverOutbound::closedByUpstream); // block 725
		}
	}

	@Test
	void serverDisconnectsWhenTheClientDoesNotReconnectInboundWithinWaitTimeout() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, SERVER)) {
			FaultProxy.Connection serverOutbound = link.clientInbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);

			link.clientOutbound().cut();

			this.bed.awaitStates("server", RECOVERING, DISCONNECTED);
			assertThat(serverChanges().get(1).getCause())
				.isEqualTo("the client did not re-connect the inbound socket within wait-timeout (1000 ms)");
			Duration waited = Duration.between(serverChanges().get(0).getTime(), serverChanges().get(1).getTime());
			assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofMillis(2000));
			await().atMost(Duration.ofSeconds(5)).until(serverOutbound::closedByUpstream); // block 725
		}
	}

	@Test
	void serverWaitsForTheClientToReconnectOutboundAndLeavesInboundUntouched() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, SERVER)) {
			FaultProxy.Connection serverInbound = link.clientOutbound();
			String serverInboundAddress = link.serverLink.snapshot().inbound().localAddress();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);

			link.clientInbound().cut();
			this.bed.awaitStates("server", RECOVERING);
			link.proxy.refuseNewConnections(false);

			this.bed.awaitStates("server", RECOVERING, NORMAL);
			assertAllBy(serverChanges(), RecoveryProcedure.SERVER_OUTBOUND, SocketRole.OUTBOUND);
			assertSameConnection(link.serverLink.snapshot().inbound(), serverInbound, serverInboundAddress);
		}
	}

	@Test
	void serverDisconnectsWhenTheClientDoesNotReconnectOutboundWithinWaitTimeoutAndThenForgetsTheLink()
			throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, SERVER)) {
			FaultProxy.Connection serverInbound = link.clientOutbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);

			link.clientInbound().cut();

			this.bed.awaitStates("server", RECOVERING, DISCONNECTED);
			assertThat(serverChanges().get(1).getCause())
				.isEqualTo("the client did not re-connect the outbound socket within wait-timeout (1000 ms)");
			await().atMost(Duration.ofSeconds(5)).until(serverInbound::closedByUpstream); // block 845
			// A link that stays disconnected for the wait timeout is forgotten.
			this.bed.awaitStates("server", RECOVERING, DISCONNECTED, CLOSED);
			assertThat(link.server.findLink(ProxiedLink.LINK_ID)).isEmpty();
		}
	}

	@Test
	void outboundFailureWaitsForTheRunningInboundRecoveryThenRecoversOnItsOwn() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, SERVER.toBuilder()
			.recovery(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(10))
			.build())) {
			FaultProxy.Connection clientInbound = link.clientInbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);
			link.clientOutbound().cut();
			this.bed.awaitStates("server", RECOVERING);

			clientInbound.cut(); // while Fig. 7 waits for the inbound socket (blocks 815-820)
			link.proxy.refuseNewConnections(false);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> link.serverLink.getState() == NORMAL && link.clientLink.getState() == NORMAL
						&& link.serverLink.snapshot().outbound().up());
			List<LinkStateChangedEvent> changes = serverChanges();
			assertThat(changes.get(0).getProcedure()).isEqualTo(RecoveryProcedure.SERVER_INBOUND);
			assertThat(changes.get(1).getProcedure()).isEqualTo(RecoveryProcedure.SERVER_INBOUND);
			assertThat(changes.get(1).getTo()).isEqualTo(NORMAL);
			// Fig. 8 ran only after Fig. 7 had finished, if it found the socket still down at all.
			assertThat(changes.subList(2, changes.size())).allSatisfy(
					(change) -> assertThat(change.getProcedure()).isEqualTo(RecoveryProcedure.SERVER_OUTBOUND));
			assertThat(changes).extracting(LinkStateChangedEvent::getTo).doesNotContain(DISCONNECTED);
		}
	}

	@Test
	void waitForTheRunningProcedureIsBoundedByTheRecoveryTimeout() throws Exception {
		LinkSettings shortRecoveryTimeout = SERVER.toBuilder()
			.recovery(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofMillis(500))
			.build();
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, shortRecoveryTimeout)) {
			FaultProxy.Connection clientInbound = link.clientInbound();
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);
			link.clientOutbound().cut();
			this.bed.awaitStates("server", RECOVERING);

			clientInbound.cut();

			this.bed.awaitStates("server", RECOVERING, DISCONNECTED);
			assertThat(serverChanges().get(1).getCause())
				.isEqualTo("a recovery procedure did not finish within recovery.timeout (500 ms)");
		}
	}


	@Test
	void aProcedureOfAnEndedSessionLeavesTheClientsNewSessionAlone() throws Exception {
		LinkSettings slowProbe = SERVER.toBuilder()
			.recovery(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(10))
			.build();
		try (ProxiedLink link = new ProxiedLink(this.bed, CLIENT, slowProbe)) {
			// The server's Fig. 7 probe of its outbound socket hangs until the probe timeout...
			this.bed.events.clear();
			link.proxy.refuseNewConnections(true);
			link.clientInbound().blackHole();
			link.clientOutbound().cut();
			this.bed.awaitStates("server", RECOVERING);

			// ...while the client starts over in a new session, which the server takes up.
			link.clientLink.reconnect();
			link.proxy.refuseNewConnections(false);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.bed.events.states("server").contains(CONNECTING)
					&& link.server.link(ProxiedLink.LINK_ID).getState() == NORMAL
					&& link.clientLink.getState() == NORMAL);

			// When the old session's probe times out, it must not touch the new session.
			await().during(Duration.ofMillis(2000))
				.atMost(Duration.ofSeconds(4))
				.until(() -> link.server.link(ProxiedLink.LINK_ID).getState() == NORMAL
						&& link.clientLink.getState() == NORMAL);
			assertThat(link.clientLink.request(new byte[] { 5 }).get(5, java.util.concurrent.TimeUnit.SECONDS))
				.containsExactly(5);
		}
	}

	private List<LinkStateChangedEvent> serverChanges() {
		return this.bed.events.stateChanges("server");
	}

}

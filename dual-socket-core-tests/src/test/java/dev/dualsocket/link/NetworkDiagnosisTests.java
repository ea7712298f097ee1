package dev.dualsocket.link;

import static dev.dualsocket.DiagnosisStep.ALTERNATE_CONNECT;
import static dev.dualsocket.DiagnosisStep.LOCAL_INTERFACE;
import static dev.dualsocket.DiagnosisStep.OTHER_SOCKET_PROBE;
import static dev.dualsocket.DiagnosisStep.PEER_CONNECT;
import static dev.dualsocket.test.DiagnosisAssertions.assertRecoveryEndedWithin;
import static dev.dualsocket.test.DiagnosisAssertions.assertStateChangesCarry;
import static dev.dualsocket.test.DiagnosisAssertions.awaitDiagnosis;
import static dev.dualsocket.test.DiagnosisAssertions.awaitStateChangeCarrying;
import static dev.dualsocket.test.DiagnosisAssertions.outcomeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.dualsocket.DiagnosisStep.Outcome;
import dev.dualsocket.FailureCause;
import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkDiagnosedEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.NetnsRouter;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's diagnosis with real faults of the kernel and the network: one socket destroyed by the kernel
 * ({@code ss -K}), this host's interface set down (a veth pair in a network namespace this test creates, on
 * 10.213.86.0/30), and the path to the peer dropped by iptables (in a router namespace this test creates, on
 * 10.213.89.0/30) with and without an alternate address open. Nothing outside those namespaces and 127.0.0.0/8 is
 * touched. Needs root, iproute2 and iptables; each test skips elsewhere with the reason.
 */
class NetworkDiagnosisTests {

	private static final String INTERFACE_ADDRESS = "10.213.86.1";

	private static final String ROUTER_SUBNET = "10.213.89";

	/** As in {@link DiagnosisTests}: a recovery procedure ends within about a second whatever the peer does. */
	private static final LinkSettings SETTINGS = DiagnosisTests.SETTINGS;

	private static final Duration RECOVERY_BOUND = DiagnosisTests.RECOVERY_BOUND;

	private static final Duration BOUND = Duration.ofSeconds(20);

	private TestBed bed;

	private KernelFaults.VethPair veth;

	private NetnsRouter router;

	@AfterEach
	void close() throws IOException {
		try {
			if (this.bed != null) {
				this.bed.close();
			}
		}
		finally {
			if (this.veth != null) {
				this.veth.close();
			}
			if (this.router != null) {
				this.router.close();
			}
		}
	}

	@Test
	void oneSocketDestroyedByTheKernelWhileTheOtherAnswersIsDiagnosedAsSocketOnly() {
		KernelFaults.assumeAvailable();
		this.bed = new TestBed();
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		ClientEndpoint client = this.bed.client("client", "diagnosed", server.getLocalAddress().getPort(), SETTINGS);
		DualSocketLink link = client.link("diagnosed");
		TestBed.awaitNormal(link);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "diagnosed");

		KernelFaults.kill(Sockets.localPort(link.snapshot().inbound()), server.getLocalAddress().getPort());

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.SOCKET_ONLY);
		assertThat(diagnosis.failure().detail()).isEqualTo("Software caused connection abort");
		assertThat(outcomeOf(diagnosis, OTHER_SOCKET_PROBE)).isEqualTo(Outcome.ANSWERED);
		assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.SKIPPED);
		assertThat(outcomeOf(diagnosis, LOCAL_INTERFACE)).isEqualTo(Outcome.UP);
		assertThat(awaitDiagnosis(this.bed.events, "server", serverLink).verdict()).isEqualTo(FailureVerdict.SOCKET_ONLY);
		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL && link.snapshot().inbound().connects() == 2);
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.SOCKET_ONLY);
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);
	}

	@Test
	void theLocalInterfaceSetDownIsDiagnosedAsLocalInterfaceDown() throws Exception {
		this.veth = KernelFaults.vethPairOrSkip("dsg", INTERFACE_ADDRESS);
		this.bed = TestBed.pollingInterfacesEvery(Duration.ofMillis(100));
		// Heartbeats slow enough that the interface monitor, not silence, fails the sockets.
		LinkSettings slowHeartbeat = SETTINGS.toBuilder().heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(30)).build();
		ServerEndpoint server = this.bed.server("server", INTERFACE_ADDRESS, 0, slowHeartbeat);
		ClientEndpoint client = this.bed.client("client", "diagnosed", INTERFACE_ADDRESS,
				server.getLocalAddress().getPort(), slowHeartbeat);
		DualSocketLink link = client.link("diagnosed");
		TestBed.awaitNormal(link);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "diagnosed");

		this.veth.down();

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.LOCAL_INTERFACE_DOWN);
		assertThat(diagnosis.failure().cause()).isEqualTo(FailureCause.INTERFACE_DOWN);
		assertThat(diagnosis.step(LOCAL_INTERFACE)).hasValueSatisfying((step) -> {
			assertThat(step.outcome()).isEqualTo(Outcome.DOWN);
			assertThat(step.detail()).isEqualTo("network interface " + this.veth.name() + " is down");
		});
		assertThat(awaitDiagnosis(this.bed.events, "server", serverLink).verdict())
			.isEqualTo(FailureVerdict.LOCAL_INTERFACE_DOWN);

		this.veth.up();

		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL);
		// The move back to NORMAL still carries the verdict of the failure it ends; it is the last one to.
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.LOCAL_INTERFACE_DOWN);
		assertThat(this.bed.events.stateChanges("client")).last().satisfies((change) -> {
			assertThat(change.getTo()).isEqualTo(LinkState.NORMAL);
			assertThat(change.getDiagnosis()).isEqualTo(FailureVerdict.LOCAL_INTERFACE_DOWN);
		});
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);
	}

	@Test
	void aPathDroppedWhileTheAlternateAddressAnswersIsDiagnosedAsPathDownAlternateOk() throws Exception {
		ServerEndpoint server = serverBehindRouter();
		int port = server.getLocalAddress().getPort();
		// The primary path crosses the router; the standby reaches the same server directly.
		ClientEndpoint client = this.bed.client(EndpointSettings
			.client("client", this.router.routerAddress(), port, "diagnosed", SETTINGS)
			.withStandby(List.of(new EndpointSettings.Address(this.router.hostAddress(), port))));
		DualSocketLink link = client.link("diagnosed");
		TestBed.awaitNormal(link);

		this.router.dropEverything();

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.PATH_DOWN_ALTERNATE_OK);
		assertThat(diagnosis.failure().cause()).isIn(FailureCause.HEARTBEAT_TIMEOUT, FailureCause.SILENCE);
		assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.TIMED_OUT);
		assertThat(outcomeOf(diagnosis, LOCAL_INTERFACE)).isEqualTo(Outcome.UP);
		assertThat(diagnosis.step(ALTERNATE_CONNECT)).hasValueSatisfying((step) -> {
			assertThat(step.outcome()).isEqualTo(Outcome.CONNECTED);
			assertThat(step.detail()).isEqualTo(this.router.hostAddress() + ":" + port + " accepted a connection");
		});
		// The client moved to the standby on its own, not waiting for the verdict.
		await().atMost(BOUND).until(() -> !client.isOnPrimary() && link.getState() == LinkState.NORMAL);
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.PATH_DOWN_ALTERNATE_OK);
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);
	}

	@Test
	void aPathDroppedWithoutAlternateIsDiagnosedAsPeerHostUnreachableAndRecoveryDoesNotWaitForIt() throws Exception {
		ServerEndpoint server = serverBehindRouter();
		// Steps of 2 s: the connect to the peer alone outlasts the whole recovery procedure (about 1 s).
		LinkSettings slowSteps = SETTINGS.toBuilder().diagnosis(true, Duration.ofSeconds(2)).build();
		ClientEndpoint client = this.bed.client("client", "diagnosed", this.router.routerAddress(),
				server.getLocalAddress().getPort(), slowSteps);
		DualSocketLink link = client.link("diagnosed");
		TestBed.awaitNormal(link);

		this.router.dropEverything();

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.PEER_HOST_UNREACHABLE);
		assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.TIMED_OUT);
		assertThat(diagnosis.step(ALTERNATE_CONNECT)).hasValueSatisfying((step) -> {
			assertThat(step.outcome()).isEqualTo(Outcome.SKIPPED);
			assertThat(step.detail()).isEqualTo("no standby address");
		});
		// The connect step alone waited its full 2 s: the link was given up before the verdict, not after it.
		assertThat(diagnosis.step(PEER_CONNECT).orElseThrow().duration()).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		LinkStateChangedEvent disconnected = this.bed.events.stateChanges("client").stream()
			.filter((change) -> change.getTo() == LinkState.DISCONNECTED)
			.findFirst()
			.orElseThrow();
		assertThat(disconnected.getTime()).isBefore(diagnosis.finishedAt());
		assertThat(disconnected.getDiagnosis()).isNull();
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client").get(0).getTime())
			.isBefore(disconnected.getTime());

		// The path comes back: the move to NORMAL that ends the outage carries the verdict of its cause.
		this.router.dropNothing();
		awaitStateChangeCarrying(this.bed.events, "client", FailureVerdict.PEER_HOST_UNREACHABLE);
		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL);
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.PEER_HOST_UNREACHABLE);
		assertThat(this.bed.events.ofType(LinkDiagnosedEvent.class, "client")).hasSize(1);
	}

	/** A server on this host's end of a router namespace's veth, reached through the router on the same port. */
	private ServerEndpoint serverBehindRouter() throws IOException {
		this.router = NetnsRouter.createOrSkip("dsd", ROUTER_SUBNET);
		this.bed = new TestBed();
		ServerEndpoint server = this.bed.server("server", this.router.hostAddress(), 0, SETTINGS);
		int port = server.getLocalAddress().getPort();
		this.router.forward(port, port);
		return server;
	}

}

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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dualsocket.DiagnosisStep.Outcome;
import dev.dualsocket.FailureCause;
import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DiagnosisStepEvent;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.event.LinkDiagnosedEvent;
import dev.dualsocket.event.ProtocolErrorEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.JavaProcess;
import dev.dualsocket.test.PeerProcess;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's diagnosis with real faults of the peer's process: killed ({@code SIGKILL}), stopped ({@code SIGSTOP}),
 * its port closed while it lives on, one socket dropped while the other answers. Each fault gets its own verdict, in
 * the {@link LinkDiagnosedEvent}, in each step's event, in the link's snapshot and in the state changes after it, and
 * the recovery procedure ends as soon as it would without any diagnosis. The peer runs in a process of its own
 * ({@link PeerProcess}) where the fault is the process's; nothing here needs root.
 */
class DiagnosisTests {

	/**
	 * Fast heartbeats; a socket's re-connect gives up after two short attempts, so a recovery procedure ends within
	 * about a second whatever the peer does, and the diagnosis's steps may take their full second.
	 */
	static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.connectTimeout(Duration.ofMillis(500))
		.reconnect(2, Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
		.diagnosis(true, Duration.ofSeconds(1))
		.build();

	/** The longest the recovery procedure may take with these settings: probe or two attempts, and some room. */
	static final Duration RECOVERY_BOUND = Duration.ofSeconds(3);

	private static final Duration BOUND = Duration.ofSeconds(20);

	private final TestBed bed = new TestBed();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.closing) {
			resource.close();
		}
		this.bed.close();
	}

	@Test
	void aKilledPeerProcessIsDiagnosedAsPeerProcessDown() throws Exception {
		int port = freePort();
		JavaProcess peer = startServerPeer(port);
		DualSocketLink link = client(port, SETTINGS);

		peer.kill();

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.PEER_PROCESS_DOWN);
		assertThat(outcomeOf(diagnosis, OTHER_SOCKET_PROBE)).isEqualTo(Outcome.NOT_POSSIBLE);
		assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.REFUSED);
		assertThat(outcomeOf(diagnosis, LOCAL_INTERFACE)).isEqualTo(Outcome.UP);
		assertThat(outcomeOf(diagnosis, ALTERNATE_CONNECT)).isEqualTo(Outcome.SKIPPED);
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);

		// The peer comes back: the move to NORMAL that ends the outage carries the verdict of its cause.
		startServerPeer(port);
		awaitStateChangeCarrying(this.bed.events, "client", FailureVerdict.PEER_PROCESS_DOWN);
		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL);
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.PEER_PROCESS_DOWN);
		assertLastChangeIsNormalCarrying(FailureVerdict.PEER_PROCESS_DOWN);
		// Both sockets failed (the second one's failure is seen unless the procedure closed it first); one diagnosis.
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client")).hasSizeBetween(1, 2);
		assertThat(this.bed.events.ofType(LinkDiagnosedEvent.class, "client")).hasSize(1);
	}

	@Test
	void aStoppedPeerProcessIsDiagnosedAsPeerProcessStuck() throws Exception {
		int port = freePort();
		JavaProcess peer = startServerPeer(port);
		DualSocketLink link = client(port, SETTINGS);

		peer.suspend();
		try {
			FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
			assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.PEER_PROCESS_STUCK);
			assertThat(diagnosis.failure().cause()).isIn(FailureCause.HEARTBEAT_TIMEOUT, FailureCause.SILENCE);
			// The other socket either stayed up unanswered or failed the same way meanwhile.
			assertThat(outcomeOf(diagnosis, OTHER_SOCKET_PROBE)).isIn(Outcome.NOT_ANSWERED, Outcome.NOT_POSSIBLE);
			// The stopped process's kernel still completes TCP handshakes into its listener's backlog.
			assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.CONNECTED);
			assertThat(outcomeOf(diagnosis, ALTERNATE_CONNECT)).isEqualTo(Outcome.SKIPPED);
			assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);

			// The peer runs again: the link comes back, and its move to NORMAL carries the verdict.
			peer.resume();
			awaitStateChangeCarrying(this.bed.events, "client", FailureVerdict.PEER_PROCESS_STUCK);
			await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL);
			assertStateChangesCarry(this.bed.events, "client", FailureVerdict.PEER_PROCESS_STUCK);
			assertLastChangeIsNormalCarrying(FailureVerdict.PEER_PROCESS_STUCK);
			assertThat(this.bed.events.ofType(LinkDiagnosedEvent.class, "client")).hasSize(1);
		}
		finally {
			peer.resume();
		}
	}

	@Test
	void aPortClosedWhileItsProcessLivesIsDiagnosedAsPeerProcessDownWhileTheServerCannotTell() throws Exception {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		// The client's peer is the proxy: its listener and connections close, its process (this one) lives on.
		FaultProxy peerPort = new FaultProxy(server.getLocalAddress().getPort());
		this.closing.add(peerPort);
		DualSocketLink link = client(peerPort.port(), SETTINGS);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "diagnosed");

		peerPort.close();

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		// Nothing listens on the port: the same verdict as a process that is gone (see FailureVerdict).
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.PEER_PROCESS_DOWN);
		assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.REFUSED);
		assertThat(diagnosis.failure().cause()).isEqualTo(FailureCause.IO_ERROR);
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.PEER_PROCESS_DOWN);
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);

		// The server's sockets were reset too; it cannot connect to its client, and says so.
		FailureDiagnosis onServer = awaitDiagnosis(this.bed.events, "server", serverLink);
		assertThat(onServer.verdict()).isEqualTo(FailureVerdict.INCONCLUSIVE);
		assertThat(onServer.step(PEER_CONNECT)).hasValueSatisfying((step) -> {
			assertThat(step.outcome()).isEqualTo(Outcome.SKIPPED);
			assertThat(step.detail()).isEqualTo("a server knows no port of its client to connect to");
		});
		// Both of its sockets failed; the diagnosis of the first found the second failing, so there is one.
		assertThat(this.bed.events.ofType(LinkDiagnosedEvent.class, "server")).hasSize(1);
	}

	@Test
	void oneSocketDroppedWhileTheOtherAnswersIsDiagnosedAsSocketOnlyOnBothSides() {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		DualSocketLink link = client(server.getLocalAddress().getPort(), SETTINGS);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "diagnosed");

		link.dropSocket(SocketRole.INBOUND);

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.SOCKET_ONLY);
		assertThat(diagnosis.socket()).isEqualTo(SocketRole.INBOUND);
		assertThat(outcomeOf(diagnosis, OTHER_SOCKET_PROBE)).isEqualTo(Outcome.ANSWERED);
		assertThat(diagnosis.step(PEER_CONNECT)).hasValueSatisfying((step) -> {
			assertThat(step.outcome()).isEqualTo(Outcome.SKIPPED);
			assertThat(step.detail()).isEqualTo("the peer answered on the other socket");
		});
		FailureDiagnosis onServer = awaitDiagnosis(this.bed.events, "server", serverLink);
		assertThat(onServer.verdict()).isEqualTo(FailureVerdict.SOCKET_ONLY);
		assertThat(onServer.socket()).isEqualTo(SocketRole.OUTBOUND);
		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL && link.snapshot().inbound().connects() == 2);
		assertStateChangesCarry(this.bed.events, "client", FailureVerdict.SOCKET_ONLY);
		assertRecoveryEndedWithin(this.bed.events, "client", RECOVERY_BOUND);
	}

	@Test
	void theDiagnosisConnectSendsNothingAndTheServerClosesItQuietly() throws Exception {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		FaultProxy proxy = new FaultProxy(server.getLocalAddress().getPort());
		this.closing.add(proxy);
		DualSocketLink link = client(proxy.port(), SETTINGS);
		TestBed.awaitServerLink(server, "diagnosed");
		this.bed.events.clear();

		// Both connections reset, the port still listens: the diagnosis's connect reaches the server.
		proxy.connections().forEach(FaultProxy.Connection::cut);

		FailureDiagnosis diagnosis = awaitDiagnosis(this.bed.events, "client", link);
		assertThat(outcomeOf(diagnosis, PEER_CONNECT)).isEqualTo(Outcome.CONNECTED);
		// A peer that closed the link's connections yet takes new ones is not stuck: it answered nothing unanswered.
		assertThat(diagnosis.verdict()).isEqualTo(FailureVerdict.INCONCLUSIVE);
		TestBed.awaitNormal(link);
		assertThat(this.bed.events.ofType(ProtocolErrorEvent.class, "server")).isEmpty();
		assertThat(this.bed.events.ofType(LimitExceededEvent.class, "server")).isEmpty();
	}

	@Test
	void nothingIsDiagnosedWhenDiagnosisIsDisabled() {
		LinkSettings disabled = SETTINGS.toBuilder().diagnosis(false, Duration.ofSeconds(1)).build();
		ServerEndpoint server = this.bed.server("server", disabled);
		DualSocketLink link = client(server.getLocalAddress().getPort(), disabled);
		TestBed.awaitServerLink(server, "diagnosed");

		link.dropSocket(SocketRole.INBOUND);

		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL && link.snapshot().inbound().connects() == 2);
		assertThat(this.bed.events.ofType(DiagnosisStepEvent.class)).isEmpty();
		assertThat(this.bed.events.ofType(LinkDiagnosedEvent.class)).isEmpty();
		assertThat(this.bed.events.stateChanges("client")).allSatisfy((change) -> assertThat(change.getDiagnosis()).isNull());
		assertThat(link.snapshot().diagnosis()).isNull();
	}

	private void assertLastChangeIsNormalCarrying(FailureVerdict verdict) {
		assertThat(this.bed.events.stateChanges("client")).last().satisfies((change) -> {
			assertThat(change.getTo()).isEqualTo(LinkState.NORMAL);
			assertThat(change.getDiagnosis()).isEqualTo(verdict);
		});
	}

	private JavaProcess startServerPeer(int port) throws IOException {
		JavaProcess peer = PeerProcess.start("server", port, "diagnosed");
		this.closing.add(peer);
		await().atMost(BOUND).until(() -> !peer.lines("READY").isEmpty());
		return peer;
	}

	private DualSocketLink client(int port, LinkSettings settings) {
		DualSocketLink link = this.bed.client("client", "diagnosed", port, settings).link("diagnosed");
		TestBed.awaitNormal(link);
		return link;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}

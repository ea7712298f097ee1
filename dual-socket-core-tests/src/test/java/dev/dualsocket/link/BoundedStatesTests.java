package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CONNECTING;
import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every state is bounded, whatever a step of a procedure throws or however long it blocks: an unexpected error ends
 * the procedure in {@code DISCONNECTED} with its cause, a step that hangs is cut off at {@code recovery.timeout}, an
 * establishment attempt that throws is followed by another, and a procedure is called off through its run, never by
 * interrupting its thread. Real sockets throughout; only the connector is scripted, to throw or block on chosen calls.
 */
class BoundedStatesTests {

	private static final String LINK_ID = "link-1";

	/** Slow heartbeats, so that only the sockets dropped on purpose fail; quick attempts and re-establishment. */
	private static final LinkSettings SETTINGS = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
		.requestTimeout(Duration.ofSeconds(10))
		.connectTimeout(Duration.ofSeconds(2))
		.reconnect(4, Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
		.afterDisconnect(true, Duration.ofMillis(200), LinkSettings.AfterDisconnect.UNLIMITED)
		.recovery(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(10))
		.build();

	private final TestBed bed = new TestBed();

	private final List<Link> links = new ArrayList<>();

	/** Releases the connects that block regardless of cancellation, once the test is over. */
	private final CountDownLatch endOfTest = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.endOfTest.countDown();
		this.links.forEach((link) -> {
			link.beginClose();
			link.finishClose();
		});
		this.bed.close();
	}

	@Test
	void unexpectedErrorWhileReconnectingInboundEndsFig5DisconnectedWithItsCauseThenReestablishes() throws Exception {
		ScriptedConnector connector = connectorTo(server(), SETTINGS);
		Link link = normalLink(SETTINGS, connector);
		connector.next(SocketRole.INBOUND, (l, socket, cancelled) -> {
			throw new IllegalStateException("connector bug");
		});

		link.dropSocket(SocketRole.INBOUND);

		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == NORMAL
				&& clientStates().contains(DISCONNECTED));
		assertThat(clientStates()).startsWith(RECOVERING, DISCONNECTED, CONNECTING).endsWith(NORMAL);
		LinkStateChangedEvent disconnected = clientChanges().get(1);
		assertThat(disconnected.getCause())
			.isEqualTo("the Fig. 5 procedure failed unexpectedly: java.lang.IllegalStateException: connector bug");
		assertThat(disconnected.getProcedure()).isEqualTo(RecoveryProcedure.CLIENT_INBOUND);
		// A bug is not a network fault: it is not tried again.
		assertThat(attempts(RecoveryProcedure.CLIENT_INBOUND)).singleElement()
			.satisfies((attempt) -> assertThat(attempt.getError()).isEqualTo("connector bug"));
		assertThat(link.request(new byte[] { 5 }).get(5, TimeUnit.SECONDS)).containsExactly(5);
	}

	@Test
	void unexpectedErrorWhileReconnectingOutboundEndsFig6DisconnectedWithItsCauseThenReestablishes() throws Exception {
		ScriptedConnector connector = connectorTo(server(), SETTINGS);
		Link link = normalLink(SETTINGS, connector);
		connector.next(SocketRole.OUTBOUND, (l, socket, cancelled) -> {
			throw new IllegalStateException("connector bug");
		});

		link.dropSocket(SocketRole.OUTBOUND);

		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == NORMAL
				&& clientStates().contains(DISCONNECTED));
		assertThat(clientStates()).startsWith(RECOVERING, DISCONNECTED, CONNECTING).endsWith(NORMAL);
		LinkStateChangedEvent disconnected = clientChanges().get(1);
		assertThat(disconnected.getCause())
			.isEqualTo("the Fig. 6 procedure failed unexpectedly: java.lang.IllegalStateException: connector bug");
		assertThat(disconnected.getProcedure()).isEqualTo(RecoveryProcedure.CLIENT_OUTBOUND);
		assertThat(attempts(RecoveryProcedure.CLIENT_OUTBOUND)).hasSize(1);
	}

	@Test
	void connectThatHangsDuringReconnectIsCutOffAtTheRecoveryTimeoutThenTheLinkReestablishes() throws Exception {
		LinkSettings oneSecondBound = SETTINGS.toBuilder()
			.recovery(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(1))
			.build();
		ScriptedConnector connector = connectorTo(server(), oneSecondBound);
		Link link = normalLink(oneSecondBound, connector);
		// Blocks without looking at the cancellation: the bound must hold whatever the step does.
		connector.next(SocketRole.INBOUND, (l, socket, cancelled) -> this.endOfTest.await(60, TimeUnit.SECONDS));

		link.dropSocket(SocketRole.INBOUND);

		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == NORMAL
				&& clientStates().contains(DISCONNECTED));
		assertThat(clientStates()).startsWith(RECOVERING, DISCONNECTED, CONNECTING).endsWith(NORMAL);
		LinkStateChangedEvent recovering = clientChanges().get(0);
		LinkStateChangedEvent disconnected = clientChanges().get(1);
		assertThat(disconnected.getCause())
			.isEqualTo("a recovery procedure did not finish within recovery.timeout (1000 ms)");
		assertThat(Duration.between(recovering.getTime(), disconnected.getTime()))
			.isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
		assertThat(this.endOfTest.getCount()).as("the hung connect is still blocked").isOne();
	}

	@Test
	void establishmentAttemptsThatThrowUnexpectedlyAreFollowedByAnotherAttempt() throws Exception {
		ScriptedConnector connector = connectorTo(server(), SETTINGS);
		connector.next(SocketRole.OUTBOUND, (l, socket, cancelled) -> {
			throw new IllegalStateException("connector bug");
		});
		connector.next(SocketRole.OUTBOUND, (l, socket, cancelled) -> {
			throw new LinkageError("broken class path");
		});

		Link link = clientLink(SETTINGS, connector);

		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == NORMAL);
		assertThat(clientStates()).containsExactly(NORMAL);
		assertThat(attempts(RecoveryProcedure.LINK_ESTABLISHMENT)).extracting(ReconnectAttemptEvent::getError)
			.containsExactly("connector bug", "broken class path", null);
	}

	@Test
	void reconnectDuringARunningProcedureCancelsItWithoutInterruptingItsThread() throws Exception {
		LinkSettings slowConnect = SETTINGS.toBuilder()
			.connectTimeout(Duration.ofSeconds(20))
			.recovery(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(30))
			.build();
		ScriptedConnector connector = connectorTo(server(), slowConnect);
		Link link = normalLink(slowConnect, connector);
		try (ServerSocket silentPeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			// A peer that takes the TCP connection and never answers the handshake: the real connector waits for it.
			ClientEndpoint toSilentPeer = new ClientEndpoint(
					EndpointSettings.client("silent", "127.0.0.1", silentPeer.getLocalPort(), LINK_ID, slowConnect),
					this.bed.transport, this.bed.events);
			CountDownLatch connecting = new CountDownLatch(1);
			AtomicReference<Throwable> connectEnded = new AtomicReference<>();
			List<Boolean> interruptedAfter = new CopyOnWriteArrayList<>();
			connector.next(SocketRole.INBOUND, (l, socket, cancelled) -> {
				connecting.countDown();
				try {
					toSilentPeer.connect(l, socket, cancelled);
				}
				catch (Exception ex) {
					connectEnded.set(ex);
					throw ex;
				}
				finally {
					interruptedAfter.add(Thread.currentThread().isInterrupted());
				}
			});
			link.dropSocket(SocketRole.INBOUND);
			assertThat(connecting.await(5, TimeUnit.SECONDS)).isTrue();
			long requested = System.nanoTime();

			link.reconnect();

			await().atMost(Duration.ofSeconds(5)).until(() -> connectEnded.get() != null);
			assertThat(Duration.ofNanos(System.nanoTime() - requested)).isLessThan(Duration.ofSeconds(5));
			assertThat(connectEnded.get()).isInstanceOf(CancellationException.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == NORMAL
					&& clientStates().contains(CONNECTING));
			assertThat(clientStates()).startsWith(RECOVERING, DISCONNECTED, CONNECTING).endsWith(NORMAL);
			assertThat(clientChanges().get(1).getCause()).isEqualTo("reconnect requested");
			assertThat(interruptedAfter).containsExactly(false);
			assertThat(connector.interruptedAtConnect).isNotEmpty().doesNotContain(true);
			// The called-off procedure took no step after it: no attempt of its own, no state change of its own.
			assertThat(attempts(RecoveryProcedure.CLIENT_INBOUND)).isEmpty();
			assertThat(clientChanges()).filteredOn((change) -> change.getProcedure() == RecoveryProcedure.CLIENT_INBOUND)
				.extracting(LinkStateChangedEvent::getTo)
				.containsExactly(RECOVERING);
		}
	}

	private ServerEndpoint server() {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		server.setRequestHandler((request) -> request.payload());
		return server;
	}

	/** The real connector of an endpoint that is never started: this test makes the link itself. */
	private ScriptedConnector connectorTo(ServerEndpoint server, LinkSettings settings) {
		ClientEndpoint real = new ClientEndpoint(EndpointSettings.client("client", "127.0.0.1",
				server.getLocalAddress().getPort(), LINK_ID, settings), this.bed.transport, this.bed.events);
		return new ScriptedConnector(real);
	}

	private Link clientLink(LinkSettings settings, SocketConnector connector) {
		LinkContext context = new LinkContext("client", EndpointRole.CLIENT, settings, this.bed.transport,
				this.bed.events);
		context.setHandler((request) -> request.payload());
		Link link = Link.client(context, LINK_ID, connector);
		this.links.add(link);
		return link;
	}

	private Link normalLink(LinkSettings settings, SocketConnector connector) {
		Link link = clientLink(settings, connector);
		TestBed.awaitNormal(link);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.bed.events.states("server").contains(NORMAL));
		this.bed.events.clear();
		return link;
	}

	private List<LinkStateChangedEvent> clientChanges() {
		return this.bed.events.stateChanges("client");
	}

	private List<LinkState> clientStates() {
		return this.bed.events.states("client");
	}

	private List<ReconnectAttemptEvent> attempts(RecoveryProcedure procedure) {
		return this.bed.events.ofType(ReconnectAttemptEvent.class, "client")
			.stream()
			.filter((attempt) -> attempt.getProcedure() == procedure)
			.toList();
	}

	/**
	 * One step of a connect, scripted.
	 */
	@FunctionalInterface
	interface Fault {

		void connect(Link link, SocketRole socket, CompletionStage<?> cancelled) throws Exception;

	}

	/**
	 * Connects through a real endpoint, except for the calls given a fault; records whether any connect found its
	 * thread interrupted.
	 */
	static final class ScriptedConnector implements SocketConnector {

		private final SocketConnector real;

		private final Map<SocketRole, Deque<Fault>> faults = new ConcurrentHashMap<>();

		final List<Boolean> interruptedAtConnect = new CopyOnWriteArrayList<>();

		ScriptedConnector(SocketConnector real) {
			this.real = real;
		}

		/** The next connect of this socket that has no earlier fault waiting runs this fault instead. */
		void next(SocketRole socket, Fault fault) {
			this.faults.computeIfAbsent(socket, (key) -> new ConcurrentLinkedDeque<>()).add(fault);
		}

		@Override
		public void connect(Link link, SocketRole socket, CompletionStage<?> cancelled) throws Exception {
			this.interruptedAtConnect.add(Thread.currentThread().isInterrupted());
			Deque<Fault> queued = this.faults.get(socket);
			Fault fault = (queued != null) ? queued.poll() : null;
			if (fault != null) {
				fault.connect(link, socket, cancelled);
			}
			else {
				this.real.connect(link, socket, cancelled);
			}
		}

	}

}

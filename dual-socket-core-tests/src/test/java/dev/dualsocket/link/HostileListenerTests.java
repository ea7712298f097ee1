package dev.dualsocket.link;

import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.ProxiedLink;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listeners the engine cannot trust: one that throws on every event of a type, one that blocks for ten seconds. The
 * link recovers as if they were not there, its events still arrive in order, and another link on the same event loop
 * keeps its heartbeats.
 */
class HostileListenerTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private TestBed bed;

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.bed != null) {
			this.bed.close();
		}
	}

	static Stream<Arguments> eventTypesOnEachSide() {
		return Stream.of(Arguments.of(LinkStateChangedEvent.class, "client"),
				Arguments.of(LinkStateChangedEvent.class, "server"), Arguments.of(SocketFailedEvent.class, "client"),
				Arguments.of(SocketFailedEvent.class, "server"), Arguments.of(SocketConnectedEvent.class, "client"),
				Arguments.of(SocketConnectedEvent.class, "server"), Arguments.of(ReconnectAttemptEvent.class, "client"));
	}

	@ParameterizedTest(name = "{0} on the {1}")
	@MethodSource("eventTypesOnEachSide")
	void linkRecoversBothSocketsThoughAListenerThrowsOnEveryEventOfAType(Class<? extends DualSocketEvent> type,
			String endpoint) throws Exception {
		AtomicInteger thrown = new AtomicInteger();
		this.bed = new TestBed(TransportSettings.defaults(), (event) -> {
			if (type.isInstance(event) && event.getEndpoint().equals(endpoint)) {
				thrown.incrementAndGet();
				throw new IllegalStateException("a listener with a bug");
			}
		});
		try (ProxiedLink link = new ProxiedLink(this.bed, TestBed.FAST, TestBed.FAST)) {
			// Fig. 5 on the client, Fig. 8 on the server.
			link.clientInbound().cut();
			awaitRecovered(link, SocketRole.INBOUND);
			// Fig. 6 on the client, Fig. 7 on the server.
			link.clientOutbound().cut();
			awaitRecovered(link, SocketRole.OUTBOUND);

			assertThat(link.clientLink.request(new byte[] { 1 }).get(5, TimeUnit.SECONDS)).containsExactly(1);
			assertThat(link.serverLink.request(new byte[] { 2 }).get(5, TimeUnit.SECONDS)).containsExactly(2);
			assertThat(thrown).as("the listener really threw").hasPositiveValue();
			// Later events are still delivered, in the order of the changes. The client goes through both recoveries;
			// the server may not see the second failure at all when the client's new connection replaces the cut one
			// before the reset reached it (section 4.4), but it sees every re-connected socket.
			if (endpoint.equals("client")) {
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(this.bed.events.states(endpoint, ProxiedLink.LINK_ID))
						.endsWith(RECOVERING, NORMAL, RECOVERING, NORMAL));
			}
			else {
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					assertThat(this.bed.events.states(endpoint, ProxiedLink.LINK_ID)).endsWith(RECOVERING, NORMAL);
					assertThat(this.bed.events.ofType(SocketConnectedEvent.class, endpoint)).hasSizeGreaterThanOrEqualTo(4);
				});
			}
		}
	}

	@ParameterizedTest(name = "blocking on the {0}")
	@ValueSource(strings = { "client", "server" })
	void listenerThatBlocksForTenSecondsStallsNeitherItsOwnRecoveryNorAnotherLinksHeartbeats(String endpoint)
			throws Exception {
		AtomicBoolean blocking = new AtomicBoolean();
		DualSocketEventListener blocker = (event) -> {
			if (event instanceof SocketFailedEvent && event.getEndpoint().equals(endpoint)
					&& "link-1".equals(event.getLinkId())) {
				blocking.set(true);
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					blocking.set(false);
				}
			}
		};
		// One event loop: both links' I/O and heartbeats share it.
		TransportSettings defaults = TransportSettings.defaults();
		this.bed = new TestBed(new TransportSettings(1, defaults.handlerThreads(), defaults.handlerQueueCapacity(),
				defaults.recoveryThreads(), defaults.nativeTransport(), defaults.interfacePollInterval()), blocker);
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler(IncomingRequest::payload);
		try (FaultProxy proxy = new FaultProxy(server.getLocalAddress().getPort())) {
			ClientEndpoint client = this.bed.client("client", "link-1", proxy.port(), TestBed.FAST);
			ClientEndpoint other = this.bed.client("other", "link-2", server.getLocalAddress().getPort(), TestBed.FAST);
			DualSocketLink link = client.link("link-1");
			DualSocketLink otherLink = other.link("link-2");
			TestBed.awaitNormal(link);
			TestBed.awaitNormal(otherLink);
			DualSocketLink serverLink = TestBed.awaitServerLink(server, "link-1");

			Sockets.inboundOf(link, proxy).cut();
			await().atMost(Duration.ofSeconds(5)).untilTrue(blocking);

			// Its own recovery goes on while the listener is stuck in its event.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> link.getState() == NORMAL && link.snapshot().inbound().connects() == 2
						&& serverLink.getState() == NORMAL);
			assertThat(link.request(new byte[] { 3 }).get(5, TimeUnit.SECONDS)).containsExactly(3);
			// The other link keeps its heartbeats on the shared event loop: for several heartbeat timeouts it stays
			// NORMAL on its first connections and answers.
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(3))
				.until(() -> otherLink.getState() == NORMAL && otherLink.snapshot().outbound().connects() == 1
						&& otherLink.snapshot().inbound().connects() == 1);
			assertThat(otherLink.request(new byte[] { 4 }).get(5, TimeUnit.SECONDS)).containsExactly(4);
			assertThat(blocking).as("the listener is still blocked").isTrue();

			this.release.countDown();
			// What waited behind the blocked listener arrives, in order.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.bed.events.states(endpoint, "link-1")).endsWith(RECOVERING, NORMAL));
			assertThat(this.bed.events.states("other", "link-2")).containsExactly(NORMAL);
		}
	}

	private void awaitRecovered(ProxiedLink link, SocketRole socket) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			LinkSnapshot snapshot = link.clientLink.snapshot();
			int connects = ((socket == SocketRole.INBOUND) ? snapshot.inbound() : snapshot.outbound()).connects();
			return connects == 2 && link.clientLink.getState() == LinkState.NORMAL
					&& link.serverLink.getState() == LinkState.NORMAL;
		});
	}

}

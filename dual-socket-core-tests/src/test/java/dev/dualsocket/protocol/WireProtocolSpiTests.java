package dev.dualsocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine behind a binding written only against the SPI ({@link LineProtocol}): connections paired by port, a
 * handshake of none, heartbeats and correlation in the binding's own terms, and what {@link InFlightPolicy#FAIL}
 * promises, over real sockets.
 */
class WireProtocolSpiTests {

	private final TestBed bed = new TestBed();

	private final AtomicInteger served = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch holding = new CountDownLatch(1);

	private ServerEndpoint server;

	private DualSocketLink clientLink;

	private DualSocketLink serverLink;

	@BeforeEach
	void linkUp() {
		this.server = this.bed.server(EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST)
			.withProtocol(LineProtocol.INSTANCE)
			.withLinkId("line-1")
			.withInboundPort(freePort()));
		this.server.setRequestHandler((request) -> {
			String text = new String(request.payload(), StandardCharsets.UTF_8);
			if (text.equals("hold")) {
				this.holding.countDown();
				this.release.await(10, TimeUnit.SECONDS);
			}
			this.served.incrementAndGet();
			return (text + "!").getBytes(StandardCharsets.UTF_8);
		});
		ClientEndpoint client = this.bed.client(EndpointSettings
			.client("client", "127.0.0.1", this.server.getLocalAddress().getPort(), "line-1", TestBed.FAST)
			.withProtocol(LineProtocol.INSTANCE)
			.withInboundPort(this.server.getInboundLocalAddress().getPort()));
		client.setRequestHandler((request) -> ("client saw " + new String(request.payload(), StandardCharsets.UTF_8))
			.getBytes(StandardCharsets.UTF_8));
		this.clientLink = client.link("line-1");
		TestBed.awaitNormal(this.clientLink);
		this.serverLink = TestBed.awaitServerLink(this.server, "line-1");
		TestBed.awaitNormal(this.serverLink);
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.bed.close();
	}

	@Test
	void theConnectionsArePairedByThePortTheyArriveOnAndCarryRequestsBothWays() throws Exception {
		assertThat(this.serverLink.snapshot().inbound().localAddress())
			.endsWith(":" + this.server.getLocalAddress().getPort());
		assertThat(this.serverLink.snapshot().outbound().localAddress())
			.endsWith(":" + this.server.getInboundLocalAddress().getPort());

		assertThat(text(this.clientLink.request(bytes("a")).get(5, TimeUnit.SECONDS))).isEqualTo("a!");
		assertThat(text(this.serverLink.request(bytes("b")).get(5, TimeUnit.SECONDS))).isEqualTo("client saw b");
	}

	@Test
	void heartbeatsInTheBindingsTermsKeepAnIdleLinkNormal() {
		long timeout = TestBed.FAST.heartbeatTimeout().toMillis();
		CompletableFuture<Void> idle = new CompletableFuture<>();
		this.bed.transport.timer().newTimeout((t) -> idle.complete(null), 3 * timeout, TimeUnit.MILLISECONDS);

		await().atMost(Duration.ofMillis(3 * timeout + 5000)).until(idle::isDone);

		assertThat(this.clientLink.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.bed.events.stateChanges("client")).extracting(LinkStateChangedEvent::getTo)
			.containsExactly(LinkState.NORMAL);
		assertThat(this.clientLink.snapshot().outbound().heartbeatRoundTrip()).isNotNull();
	}

	@Test
	void aRequestInFlightOnAFailedConnectionFailsAtOnceSayingItMayHaveRunAndIsNotSentAgain() throws Exception {
		CompletableFuture<byte[]> held = this.clientLink.request(bytes("hold"));
		assertThat(this.holding.await(5, TimeUnit.SECONDS)).isTrue();

		this.clientLink.dropSocket(SocketRole.OUTBOUND);

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> held.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(LinkDisconnectedException.class)
			.withMessageContaining("may or may not have run")
			.withMessageContaining("protocol line cannot re-send it safely");
		this.release.countDown();
		TestBed.awaitNormal(this.clientLink);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.stateChanges("client")
				.stream()
				.anyMatch((change) -> change.getProcedure() == RecoveryProcedure.CLIENT_OUTBOUND
						&& change.getTo() == LinkState.NORMAL));
		assertThat(text(this.clientLink.request(bytes("after")).get(5, TimeUnit.SECONDS))).isEqualTo("after!");
		assertThat(this.served).hasValue(2);
	}

	@Test
	void theFirstRequestOnANewConnectionIsNotTakenForTheFirstOfTheOldOne() throws Exception {
		// The binding numbers requests from 1 on every connection; were those numbers the engine's ids, the server
		// would answer "b" from its record of "a".
		assertThat(text(this.clientLink.request(bytes("a")).get(5, TimeUnit.SECONDS))).isEqualTo("a!");
		String before = this.clientLink.snapshot().outbound().localAddress();

		this.clientLink.dropSocket(SocketRole.OUTBOUND);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.clientLink.getState() == LinkState.NORMAL
					&& !before.equals(this.clientLink.snapshot().outbound().localAddress()));

		assertThat(text(this.clientLink.request(bytes("b")).get(5, TimeUnit.SECONDS))).isEqualTo("b!");
		assertThat(this.served).hasValue(2);
	}

	@Test
	void aStrangerOnAPortWhoseConnectionIsUpIsRefusedAndTheLinkKeepsItsConnections() throws Exception {
		String inbound = this.serverLink.snapshot().outbound().remoteAddress();
		try (Socket stranger = new Socket("127.0.0.1", this.server.getInboundLocalAddress().getPort())) {
			stranger.setSoTimeout(5000);
			InputStream in = stranger.getInputStream();
			assertThat(in.read()).as("the stranger's connection is closed").isEqualTo(-1);
		}
		assertThat(this.serverLink.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.serverLink.snapshot().outbound().remoteAddress()).isEqualTo(inbound);
		assertThat(text(this.serverLink.request(bytes("still")).get(5, TimeUnit.SECONDS))).isEqualTo("client saw still");
	}

	private static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}

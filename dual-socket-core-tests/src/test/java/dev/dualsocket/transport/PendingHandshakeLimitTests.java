package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.Limit;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections that never send a HELLO cannot pile up: beyond {@code max-pending-handshakes} a new connection is
 * closed at once and reported as a {@link LimitExceededEvent}, a finished handshake frees its place, and the links
 * held are not affected.
 */
class PendingHandshakeLimitTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void connectionBeyondThePendingHandshakesIsClosedAtOnce() throws Exception {
		ServerEndpoint server = new ServerEndpoint(
				EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST).withMaxPendingHandshakes(2),
				this.bed.transport, this.bed.events);
		server.start();
		this.bed.adopt(server);
		server.setRequestHandler((request) -> request.payload());
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client("client", "healthy", port, TestBed.FAST);
		DualSocketLink healthy = client.link("healthy");
		TestBed.awaitNormal(healthy);

		try (RawConnection first = quiet(port); RawConnection second = quiet(port)) {
			assertThat(first.closedByPeer()).as("first silent connection").isFalse();
			assertThat(second.closedByPeer()).as("second silent connection").isFalse();
			try (RawConnection third = new RawConnection(port)) {
				assertThat(third.closedByPeer()).as("third silent connection").isTrue();
			}
			assertThat(this.bed.events.ofType(LimitExceededEvent.class, "server")).singleElement().satisfies((event) -> {
				assertThat(event.getLimit()).isEqualTo(Limit.PENDING_HANDSHAKES);
				assertThat(event.getLinkId()).isNull();
				assertThat(event.getRemoteAddress()).startsWith("/127.0.0.1:");
				assertThat(event.getMessage()).contains("2 connections are still in their handshake (max-pending-handshakes)");
			});

			// A connection that sent its HELLO gives its place back.
			first.writeHello(1, 1, 9, "late");
			assertThat(first.readUntil(RawConnection.HELLO_ACCEPT)).isNotNull();
			try (RawConnection fourth = quiet(port)) {
				assertThat(fourth.closedByPeer()).as("a connection after one sent its HELLO").isFalse();
			}
		}
		assertThat(healthy.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(healthy.snapshot().outbound().connects()).isOne();
		assertThat(healthy.request("still here".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
			.isEqualTo("still here".getBytes(UTF_8));
	}

	/** A connection whose reads give up after 300 ms, to see that the server leaves it open. */
	private static RawConnection quiet(int port) throws Exception {
		return new RawConnection(new Socket(InetAddress.getLoopbackAddress(), port), Duration.ofMillis(300));
	}

}

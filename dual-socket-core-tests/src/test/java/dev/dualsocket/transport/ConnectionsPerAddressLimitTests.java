package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One remote address cannot take every connection a server holds: beyond {@code max-connections-per-address} a new
 * connection from that address is closed at once, whatever it would have been for, and reported as a
 * {@link LimitExceededEvent}; other addresses still get in, the links held are not affected, and a connection that
 * closes gives its place back.
 */
class ConnectionsPerAddressLimitTests {

	/**
	 * Handshakes may take long here, so that the silent connections a test holds stay open until it closes them; and
	 * heartbeats may be late, so that a loaded machine does not fail the link these tests show to be undisturbed.
	 */
	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.connectTimeout(Duration.ofSeconds(30))
		.heartbeat(Duration.ofMillis(500), Duration.ofSeconds(5))
		.build();

	private static final int LIMIT = 3;

	private final TestBed bed = new TestBed();

	private ServerEndpoint server;

	private int port;

	private DualSocketLink healthy;

	@BeforeEach
	void startServerWithOneLinkFromLoopback() {
		this.server = new ServerEndpoint(
				EndpointSettings.server("server", "127.0.0.1", 0, SETTINGS).withMaxConnectionsPerAddress(LIMIT),
				this.bed.transport, this.bed.events);
		this.server.start();
		this.bed.adopt(this.server);
		this.server.setRequestHandler((request) -> request.payload());
		this.port = this.server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client("client", "healthy", this.port, SETTINGS);
		this.healthy = client.link("healthy");
		TestBed.awaitNormal(this.healthy);
	}

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void connectionBeyondTheLimitOfItsAddressIsClosedAtOnceAndTheLinkHeldIsNotAffected() throws Exception {
		// The link's two sockets count: one more connection from 127.0.0.1 reaches the limit of three.
		try (RawConnection third = quietFrom("127.0.0.1")) {
			assertThat(third.closedByPeer()).as("third connection from 127.0.0.1").isFalse();

			try (RawConnection fourth = quietFrom("127.0.0.1")) {
				assertThat(fourth.closedByPeer()).as("fourth connection from 127.0.0.1").isTrue();
			}
			assertThat(third.closedByPeer()).as("third connection, after the fourth was refused").isFalse();
		}
		assertThat(this.bed.events.ofType(LimitExceededEvent.class, "server")).singleElement().satisfies((event) -> {
			assertThat(event.getLimit()).isEqualTo(Limit.CONNECTIONS_PER_ADDRESS);
			assertThat(event.getLinkId()).isNull();
			assertThat(event.getRemoteAddress()).startsWith("/127.0.0.1:");
			assertThat(event.getMessage()).contains("127.0.0.1 already has 3 connections open (max-connections-per-address)");
		});
		assertHealthyLinkUndisturbed();
	}

	@Test
	void anotherAddressIsStillAcceptedWhileOneIsAtItsLimit() throws Exception {
		try (RawConnection third = quietFrom("127.0.0.1"); RawConnection other1 = quietFrom("127.0.0.2");
				RawConnection other2 = quietFrom("127.0.0.2"); RawConnection other3 = quietFrom("127.0.0.2")) {
			assertThat(third.closedByPeer()).as("third connection from 127.0.0.1").isFalse();
			assertThat(other1.closedByPeer()).as("first connection from 127.0.0.2").isFalse();
			assertThat(other3.closedByPeer()).as("third connection from 127.0.0.2").isFalse();

			// The other address has a count of its own, with the same limit.
			try (RawConnection other4 = quietFrom("127.0.0.2")) {
				assertThat(other4.closedByPeer()).as("fourth connection from 127.0.0.2").isTrue();
			}
		}
		assertThat(this.bed.events.ofType(LimitExceededEvent.class, "server")).singleElement()
			.satisfies((event) -> assertThat(event.getRemoteAddress()).startsWith("/127.0.0.2:"));
		assertHealthyLinkUndisturbed();
	}

	@Test
	void closingAConnectionGivesItsPlaceBack() throws Exception {
		try (RawConnection third = quietFrom("127.0.0.1")) {
			assertThat(third.closedByPeer()).isFalse();
			try (RawConnection fourth = quietFrom("127.0.0.1")) {
				assertThat(fourth.closedByPeer()).as("fourth connection while the third is open").isTrue();
			}
		}

		// The server sees the close a moment later; until then a new connection may still be refused.
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			try (RawConnection again = quietFrom("127.0.0.1")) {
				return !again.closedByPeer();
			}
		});
		assertHealthyLinkUndisturbed();
	}

	/**
	 * A connection from a local address that sends nothing; its reads give up after 300 ms, to see that the server
	 * leaves it open.
	 */
	private RawConnection quietFrom(String address) throws IOException {
		InetAddress local = InetAddress.getByName(address);
		Socket socket;
		try {
			socket = new Socket(InetAddress.getLoopbackAddress(), this.port, local, 0);
		}
		catch (IOException ex) {
			// Linux routes all of 127.0.0.0/8 to the loopback interface; other systems may need an alias for it.
			return Assumptions.abort("cannot connect from " + address + " here: " + ex.getMessage());
		}
		return new RawConnection(socket, Duration.ofMillis(300));
	}

	private void assertHealthyLinkUndisturbed() throws Exception {
		assertThat(this.healthy.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class)).isEmpty();
		assertThat(this.healthy.snapshot().outbound().connects()).isOne();
		assertThat(this.healthy.snapshot().inbound().connects()).isOne();
		assertThat(this.healthy.request("still here".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
			.isEqualTo("still here".getBytes(UTF_8));
	}

}

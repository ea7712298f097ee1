package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkStates} returns as soon as a link is in the state awaited, and otherwise fails after the timeout with a
 * message that says what the link was doing.
 */
class LinkStatesTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void awaitStateReturnsTheSnapshotOnceTheLinkIsInTheState() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		DualSocketLink link = clientLinkTo(server);

		LinkSnapshot snapshot = LinkStates.awaitState(link, LinkState.NORMAL, WAIT);

		assertThat(snapshot.state()).isEqualTo(LinkState.NORMAL);
		assertThat(snapshot.outbound().up()).isTrue();
		assertThat(snapshot.inbound().up()).isTrue();
		assertThat(LinkStates.awaitLink(server, "link-1", LinkState.NORMAL, WAIT).getId()).isEqualTo("link-1");
	}

	@Test
	void awaitStateThrowsNamingTheLinkItsStateAndItsCause() throws Exception {
		// A listener that accepts and never answers the HELLO: the client stays CONNECTING for its connect timeout.
		try (ServerSocket mute = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
			DualSocketLink link = this.bed.client("client", "link-1", mute.getLocalPort(), TestBed.FAST).link("link-1");

			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> LinkStates.awaitState(link, LinkState.NORMAL, Duration.ofMillis(200)))
				.withMessageStartingWith("Link 'client/link-1' is CONNECTING, not NORMAL, after 200 ms; CONNECTING since ")
				.withMessageContaining("cause: " + link.snapshot().cause())
				.withMessageContaining("outbound socket down")
				.withMessageContaining("inbound socket down");
		}
	}

	@Test
	void awaitStateOfANormalLinkThatStaysNormalShowsItsSockets() {
		DualSocketLink link = clientLinkTo(this.bed.server("server", TestBed.FAST));
		LinkSnapshot normal = LinkStates.awaitState(link, LinkState.NORMAL, WAIT);

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LinkStates.awaitState(link, LinkState.DISCONNECTED, Duration.ofMillis(100)))
			.withMessageStartingWith("Link 'client/link-1' is NORMAL, not DISCONNECTED, after 100 ms")
			.withMessageContaining("outbound socket up " + normal.outbound().localAddress())
			.withMessageContaining("inbound socket up " + normal.inbound().localAddress());
	}

	@Test
	void awaitLinkThrowsListingTheLinksTheEndpointHas() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LinkStates.awaitLink(server, "nobody", LinkState.NORMAL, Duration.ofMillis(100)))
			.withMessage("Endpoint 'server' has no link 'nobody' after 100 ms; it has []");
	}

	private DualSocketLink clientLinkTo(ServerEndpoint server) {
		return this.bed.client("client", "link-1", Endpoints.boundPort(server), TestBed.FAST).link("link-1");
	}

}

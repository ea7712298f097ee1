package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;

import dev.dualsocket.FailureCause;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A socket fails when the network interface carrying it goes down (claim 6 (a)). The link runs over an address on
 * a veth interface this test creates (its other end in a network namespace of its own), so taking that interface down
 * touches nothing else. Needs root and iproute2; skipped elsewhere with the reason.
 */
class InterfaceDownTests {

	private static final String ADDRESS = "10.213.77.1";

	private KernelFaults.VethPair veth;

	private TestBed bed;

	@BeforeEach
	void createInterface() {
		this.veth = KernelFaults.vethPairOrSkip("dsk", ADDRESS);
		this.bed = TestBed.pollingInterfacesEvery(Duration.ofMillis(100));
	}

	@AfterEach
	void removeInterface() throws IOException {
		if (this.bed != null) {
			this.bed.close();
		}
		if (this.veth != null) {
			this.veth.close();
		}
	}

	@Test
	void socketsFailWhenTheirInterfaceGoesDownAndTheLinkComesBackWithIt() throws Exception {
		LinkSettings slowHeartbeat = TestBed.FAST.toBuilder().heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(30)).build();
		ServerEndpoint server = this.bed.server("server", ADDRESS, 0, slowHeartbeat);
		ClientEndpoint client = this.bed.client("client", "link-1", ADDRESS, server.getLocalAddress().getPort(),
				slowHeartbeat);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class)).isEmpty();

		this.veth.down();

		await().atMost(Duration.ofSeconds(5))
			.until(() -> !this.bed.events.ofType(SocketFailedEvent.class, "client").isEmpty());
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client").get(0).getFailure())
			.satisfies((failure) -> {
				assertThat(failure.cause()).isEqualTo(FailureCause.INTERFACE_DOWN);
				assertThat(failure.detail()).isEqualTo("network interface " + this.veth.name() + " is down");
			});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.bed.events.states("client").contains(LinkState.DISCONNECTED));
		// While the interface is down, attempts to establish the link fail and the link stays down.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class, "client")
				.stream()
				.filter((attempt) -> String.valueOf(attempt.getError()).endsWith("is down"))
				.count() >= 2);
		assertThat(link.getState()).isNotEqualTo(LinkState.NORMAL);

		this.veth.up();

		await().atMost(Duration.ofSeconds(15)).until(() -> link.getState() == LinkState.NORMAL);
	}

}

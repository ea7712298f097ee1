package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.FailureCause;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel itself destroys one of the two TCP connections of a live link ({@code ss -K}); the link returns to
 * NORMAL. Runs as root on Linux (as CI does); skipped elsewhere with the reason.
 */
class KernelSocketKillTests {

	private final TestBed bed = new TestBed();

	private ServerEndpoint server;

	private DualSocketLink clientLink;

	private DualSocketLink serverLink;

	@BeforeEach
	void linkUp() {
		Assumptions.assumeTrue(KernelFaults.available(), KernelFaults::unavailableReason);
		this.server = this.bed.server("server", TestBed.FAST);
		this.server.setRequestHandler((request) -> request.payload());
		ClientEndpoint client = this.bed.client("client", "link-1", this.server.getLocalAddress().getPort(),
				TestBed.FAST);
		this.clientLink = client.link("link-1");
		TestBed.awaitNormal(this.clientLink);
		this.serverLink = TestBed.awaitServerLink(this.server, "link-1");
		this.bed.events.clear();
	}

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void linkReturnsToNormalAfterTheKernelAbortsTheClientsInboundConnection() throws Exception {
		String outboundBefore = this.clientLink.snapshot().outbound().localAddress();

		KernelFaults.kill(Sockets.localPort(this.clientLink.snapshot().inbound()), this.server.getLocalAddress().getPort());

		awaitRecovered(SocketRole.INBOUND);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client")).singleElement().satisfies((failure) -> {
			assertThat(failure.getSocket()).isEqualTo(SocketRole.INBOUND);
			assertThat(failure.getFailure().cause()).isEqualTo(FailureCause.IO_ERROR);
			assertThat(failure.getFailure().detail()).isEqualTo("Software caused connection abort");
		});
		assertThat(this.bed.events.stateChanges("client")).extracting(LinkStateChangedEvent::getProcedure)
			.containsOnly(RecoveryProcedure.CLIENT_INBOUND);
		assertThat(this.clientLink.snapshot().outbound().localAddress()).isEqualTo(outboundBefore);
		assertThat(this.clientLink.request(new byte[] { 1 }).get(5, TimeUnit.SECONDS)).containsExactly(1);
	}

	@Test
	void linkReturnsToNormalAfterTheKernelAbortsTheClientsOutboundConnection() throws Exception {
		String inboundBefore = this.clientLink.snapshot().inbound().localAddress();

		KernelFaults.kill(Sockets.localPort(this.clientLink.snapshot().outbound()),
				this.server.getLocalAddress().getPort());

		awaitRecovered(SocketRole.OUTBOUND);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class, "server")).singleElement().satisfies((failure) -> {
			assertThat(failure.getSocket()).isEqualTo(SocketRole.INBOUND);
			assertThat(failure.getFailure().detail()).isEqualTo("Connection reset by peer");
		});
		assertThat(this.clientLink.snapshot().inbound().localAddress()).isEqualTo(inboundBefore);
		assertThat(this.clientLink.request(new byte[] { 2 }).get(5, TimeUnit.SECONDS)).containsExactly(2);
	}

	private void awaitRecovered(SocketRole clientSocket) {
		SocketRole serverSocket = clientSocket.other();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.clientLink.getState() == LinkState.NORMAL
				&& this.serverLink.getState() == LinkState.NORMAL
				&& socket(this.clientLink, clientSocket).connects() == 2
				&& socket(this.serverLink, serverSocket).connects() == 2);
	}

	private static SocketSnapshot socket(DualSocketLink link, SocketRole role) {
		return (role == SocketRole.OUTBOUND) ? link.snapshot().outbound() : link.snapshot().inbound();
	}

}

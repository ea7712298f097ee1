package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.test.TestBed;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Links cost memory, not threads: clients waiting for an absent peer hold no thread, and handlers may run on the
 * I/O threads when the application says they never block.
 */
class ThreadBudgetTests {

	private TestBed bed;

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void clientsWaitingForAnAbsentPeerShareASmallRecoveryPoolWithoutStarvingEachOther() throws Exception {
		TransportSettings defaults = TransportSettings.defaults();
		this.bed = new TestBed(new TransportSettings(defaults.ioThreads(), defaults.handlerThreads(),
				defaults.handlerQueueCapacity(), 2, defaults.nativeTransport(), defaults.interfacePollInterval()));
		LinkSettings settings = TestBed.FAST.toBuilder()
			.afterDisconnect(true, Duration.ofMillis(300), LinkSettings.AfterDisconnect.UNLIMITED)
			.build();
		int deadPort = freeClosedPort();
		List<ClientEndpoint> clients = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			clients.add(this.bed.client("client-" + i, "link-" + i, deadPort, settings));
		}

		// Every client keeps trying, although only two recovery threads exist and the peer never answers.
		await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream()
			.allMatch((client) -> this.bed.events.ofType(ReconnectAttemptEvent.class, client.getName()).size() >= 3));
		assertThat(((ThreadPoolExecutor) this.bed.transport.recoveryExecutor()).getLargestPoolSize()).isLessThanOrEqualTo(2);
	}

	@Test
	void withNoHandlerThreadsHandlersRunOnTheIoThreads() throws Exception {
		TransportSettings defaults = TransportSettings.defaults();
		this.bed = new TestBed(new TransportSettings(defaults.ioThreads(), 0, defaults.handlerQueueCapacity(),
				defaults.recoveryThreads(), defaults.nativeTransport(), defaults.interfacePollInterval()));
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> Thread.currentThread().getName().getBytes());
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		TestBed.awaitNormal(client.link("link-1"));

		String handlerThread = new String(client.request(new byte[0]).get(5, TimeUnit.SECONDS));

		assertThat(handlerThread).startsWith("dual-socket-io");
		assertThat(this.bed.transport.handlerThreads()).isZero();
	}

	private static int freeClosedPort() throws Exception {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.FailureCause;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One server endpoint serves many client links (Fig. 2), each with its own state.
 */
class ManyLinksTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void closingOneOfFiftyLinksSocketsDoesNotDisturbTheOtherFortyNine() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> (request.linkId() + ":" + new String(request.payload(), UTF_8)).getBytes(UTF_8));
		try (FaultProxy proxy = new FaultProxy(server.getLocalAddress().getPort())) {
			List<ClientEndpoint> clients = new ArrayList<>();
			clients.add(this.bed.client("client-0", "link-0", proxy.port(), TestBed.FAST));
			for (int i = 1; i < 50; i++) {
				clients.add(this.bed.client("client-" + i, "link-" + i, server.getLocalAddress().getPort(), TestBed.FAST));
			}
			clients.forEach((client) -> client.links().forEach(TestBed::awaitNormal));
			await().atMost(Duration.ofSeconds(10)).until(() -> server.links().size() == 50
					&& server.links().stream().allMatch((link) -> link.getState() == LinkState.NORMAL));
			assertAllAnswer(clients);
			this.bed.events.clear();

			DualSocketLink cutLink = clients.get(0).link("link-0");
			Sockets.outboundOf(cutLink, proxy).cut();

			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.bed.events.states("client-0").contains(LinkState.NORMAL));
			assertThat(this.bed.events.ofType(SocketFailedEvent.class, "client-0")).singleElement()
				.satisfies((event) -> {
					assertThat(event.getSocket()).isEqualTo(SocketRole.OUTBOUND);
					assertThat(event.getFailure().cause()).isIn(FailureCause.IO_ERROR, FailureCause.END_OF_STREAM);
				});
			// Every event after the cut is about link-0; the other 49 links never changed state or lost a socket.
			assertThat(this.bed.events.ofType(LinkStateChangedEvent.class))
				.allSatisfy((event) -> assertThat(event.getLinkId()).isEqualTo("link-0"));
			assertThat(this.bed.events.ofType(SocketFailedEvent.class))
				.allSatisfy((event) -> assertThat(event.getLinkId()).isEqualTo("link-0"));
			for (ClientEndpoint client : clients.subList(1, 50)) {
				LinkSnapshot snapshot = client.links().iterator().next().snapshot();
				assertThat(snapshot.state()).isEqualTo(LinkState.NORMAL);
				assertThat(snapshot.outbound().connects()).isOne();
				assertThat(snapshot.inbound().connects()).isOne();
			}
			assertAllAnswer(clients);
		}
	}

	private static void assertAllAnswer(List<ClientEndpoint> clients) throws Exception {
		List<CompletableFuture<byte[]>> answers = new ArrayList<>();
		for (ClientEndpoint client : clients) {
			answers.add(client.request("ping".getBytes(UTF_8)));
		}
		for (int i = 0; i < clients.size(); i++) {
			assertThat(new String(answers.get(i).get(10, TimeUnit.SECONDS), UTF_8)).isEqualTo("link-" + i + ":ping");
		}
	}

}

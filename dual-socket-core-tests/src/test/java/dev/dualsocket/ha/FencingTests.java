package dev.dualsocket.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.EndpointSettings.Address;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fencing epochs (section 4.6 of the protocol): once a server accepted a link at some epoch, a client instance with a
 * lower one stays off it, and a client refuses a server instance with a lower epoch than one it was accepted by.
 */
class FencingTests {

	private static final String SECRET = "a secret of the orders link, 32 b";

	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.afterDisconnect(true, Duration.ofMillis(100), LinkSettings.AfterDisconnect.UNLIMITED)
		.build();

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void aFormerLeaderWithALowerEpochIsRefusedOnceTheNewLeaderHoldsTheLink() {
		ServerEndpoint server = this.bed.server(EndpointSettings.server("server", "127.0.0.1", 0, SETTINGS)
			.withAuth(LinkAuthentication.secret(SECRET)));
		server.setRequestHandler((request) -> "served".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		int port = server.getLocalAddress().getPort();
		ClientEndpoint former = client("former", port, List.of(), 5);
		DualSocketLink formerLink = former.link("orders");
		TestBed.awaitNormal(formerLink);

		// The new leader authenticates, so it takes the link over at once; the former one wakes up and tries again.
		ClientEndpoint leader = client("leader", port, List.of(), 6);
		DualSocketLink leaderLink = leader.link("orders");
		TestBed.awaitNormal(leaderLink);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class)
				.stream()
				.anyMatch((attempt) -> attempt.getEndpoint().equals("former") && attempt.getError() != null
						&& attempt.getError().contains("STALE_EPOCH")));
		assertThat(formerLink.getState()).isNotEqualTo(LinkState.NORMAL);
		assertThat(leaderLink.getState()).isEqualTo(LinkState.NORMAL);
		// The server's link is still the leader's session: it answers the leader's requests.
		assertThat(leaderLink.request(new byte[0])).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo("served".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		assertThat(server.link("orders").getState()).isEqualTo(LinkState.NORMAL);
	}

	@Test
	void anEqualEpochReconnectsAndAHigherOneIsAccepted() {
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		int port = server.getLocalAddress().getPort();
		AtomicLong epoch = new AtomicLong(3);
		ClientEndpoint client = new ClientEndpoint(EndpointSettings.client("client", "127.0.0.1", port, "orders",
				SETTINGS), this.bed.transport, this.bed.events);
		client.setFencingEpoch(epoch::get);
		client.start();
		this.bed.adopt(client);
		DualSocketLink link = client.link("orders");
		TestBed.awaitNormal(link);
		link.reconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.bed.events.states("client").size() >= 3
				&& link.getState() == LinkState.NORMAL);
		epoch.set(4);
		int before = this.bed.events.states("client").size();
		link.reconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.bed.events.states("client").size() > before
				&& link.getState() == LinkState.NORMAL);
	}

	@Test
	void aClientRefusesAServerInstanceWithALowerEpochThanItWasAcceptedBy() {
		ServerEndpoint newer = server("newer", 8);
		ServerEndpoint older = server("older", 7);
		int newerPort = newer.getLocalAddress().getPort();
		ClientEndpoint client = client("client", newerPort,
				List.of(new Address("127.0.0.1", older.getLocalAddress().getPort())), 0);
		DualSocketLink link = client.link("orders");
		TestBed.awaitNormal(link);

		// The leader goes away; the only other address is a paused former leader that still listens.
		newer.stop(Duration.ZERO);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class)
				.stream()
				.anyMatch((attempt) -> attempt.getEndpoint().equals("client") && attempt.getError() != null
						&& attempt.getError().contains("fencing epoch 7")));
		assertThat(link.getState()).isNotEqualTo(LinkState.NORMAL);
		assertThat(older.findLink("orders").map(DualSocketLink::getState)).hasValueSatisfying(
				(state) -> assertThat(state).isNotEqualTo(LinkState.NORMAL));
	}

	private ServerEndpoint server(String name, long epoch) {
		ServerEndpoint server = new ServerEndpoint(EndpointSettings.server(name, "127.0.0.1", 0, SETTINGS),
				this.bed.transport, this.bed.events);
		server.setFencingEpoch(() -> epoch);
		server.start();
		this.bed.adopt(server);
		return server;
	}

	private ClientEndpoint client(String name, int port, List<Address> standby, long epoch) {
		EndpointSettings settings = EndpointSettings.client(name, "127.0.0.1", port, "orders", SETTINGS)
			.withStandby(standby);
		if (standby.isEmpty()) {
			settings = settings.withAuth(LinkAuthentication.secret(SECRET));
		}
		ClientEndpoint client = new ClientEndpoint(settings, this.bed.transport, this.bed.events);
		client.setFencingEpoch(() -> epoch);
		client.start();
		this.bed.adopt(client);
		return client;
	}

}

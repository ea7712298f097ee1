package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.EndpointSettings.Address;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client with standby addresses (seed 004) moves to the next one at once when its link to the primary is lost,
 * instead of waiting out the re-establishment interval.
 */
class StandbyFailoverTests {

	/** A long re-establishment interval: moving to the standby must not wait for it. */
	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.afterDisconnect(true, Duration.ofSeconds(30), LinkSettings.AfterDisconnect.UNLIMITED)
		.build();

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void clientMovesToTheStandbyAtOnceWhenThePrimaryShutsDown() throws Exception {
		ServerEndpoint primary = this.bed.server("primary", SETTINGS);
		primary.setRequestHandler((request) -> "primary".getBytes(UTF_8));
		ServerEndpoint standby = this.bed.server("standby", SETTINGS);
		standby.setRequestHandler((request) -> "standby".getBytes(UTF_8));
		ClientEndpoint client = client(primary.getLocalAddress().getPort(), standby.getLocalAddress().getPort());
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		assertThat(new String(link.request(new byte[0]).get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("primary");

		primary.stop(Duration.ZERO);

		await().atMost(Duration.ofSeconds(5)).until(() -> standby.findLink("link-1")
			.map((serverLink) -> serverLink.getState() == LinkState.NORMAL)
			.orElse(false) && link.getState() == LinkState.NORMAL);
		assertThat(client.getCurrentAddress().port()).isEqualTo(standby.getLocalAddress().getPort());
		assertThat(new String(link.request(new byte[0]).get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("standby");
	}

	@Test
	void clientMovesToTheStandbyAtOnceWhenThePrimaryIsLost() throws Exception {
		ServerEndpoint primary = this.bed.server("primary", SETTINGS);
		ServerEndpoint standby = this.bed.server("standby", SETTINGS);
		try (FaultProxy toPrimary = new FaultProxy(primary.getLocalAddress().getPort())) {
			ClientEndpoint client = client(toPrimary.port(), standby.getLocalAddress().getPort());
			DualSocketLink link = client.link("link-1");
			TestBed.awaitNormal(link);

			// The primary's host vanishes: both connections go silent and nothing new gets through.
			toPrimary.refuseNewConnections(true);
			toPrimary.connections().forEach(FaultProxy.Connection::blackHole);

			await().atMost(Duration.ofSeconds(5)).until(() -> standby.findLink("link-1").isPresent()
					&& link.getState() == LinkState.NORMAL && client.getCurrentAddress().port() == standby.getLocalAddress().getPort());
			assertThat(this.bed.events.states("client")).contains(LinkState.DISCONNECTED).endsWith(LinkState.NORMAL);
		}
	}

	private ClientEndpoint client(int primaryPort, int standbyPort) {
		ClientEndpoint client = new ClientEndpoint(
				EndpointSettings.client("client", "127.0.0.1", primaryPort, "link-1", SETTINGS)
					.withStandby(List.of(new Address("127.0.0.1", standbyPort))),
				this.bed.transport, this.bed.events);
		client.start();
		this.bed.adopt(client);
		return client;
	}

}

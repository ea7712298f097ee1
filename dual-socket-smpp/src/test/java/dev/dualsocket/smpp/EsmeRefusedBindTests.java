package dev.dualsocket.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our ESME refused by our SMSC: each attempt fails saying which bind was refused and with which status, the link never
 * comes up, and with the right password it does.
 */
class EsmeRefusedBindTests {

	private final TransportResources transport = TransportResources.create(TransportSettings.defaults());

	private final List<DualSocketEvent> events = new CopyOnWriteArrayList<>();

	private ServerEndpoint smsc;

	private ClientEndpoint esme;

	@AfterEach
	void close() {
		if (this.esme != null) {
			this.esme.stop(Duration.ZERO);
		}
		if (this.smsc != null) {
			this.smsc.stop(Duration.ZERO);
		}
		this.transport.close();
	}

	@Test
	void aWrongPasswordIsRefusedWithItsStatusAndTheLinkStaysDown() {
		startSmsc();
		this.esme = esme("wrong");

		await().atMost(Duration.ofSeconds(10)).until(() -> failedAttempts().size() >= 2);

		assertThat(failedAttempts()).allSatisfy((attempt) -> assertThat(String.valueOf(attempt.getError()))
			.contains("SMSC refused bind_transmitter")
			.contains("ESME_RINVPASWD"));
		assertThat(this.esme.link("esme-1").getState()).isNotEqualTo(LinkState.NORMAL);
		assertThat(this.smsc.findLink("esme-1")).isEmpty();
	}

	@Test
	void theRightPasswordBindsBoth() {
		startSmsc();
		this.esme = esme("right");

		await().atMost(Duration.ofSeconds(10)).until(() -> this.esme.link("esme-1").getState() == LinkState.NORMAL);

		assertThat(failedAttempts()).isEmpty();
	}

	private void startSmsc() {
		this.smsc = new ServerEndpoint(EndpointSettings.server("smsc", "127.0.0.1", 0, EsmeAgainstJsmppSmscTests.FAST)
			.withProtocol(new SmppProtocol(SmppSettings.server(Map.of("esme-1", "right"), "smsc"))), this.transport,
				this.events::add);
		this.smsc.setRequestHandler((request) -> new byte[0]);
		this.smsc.start();
	}

	private ClientEndpoint esme(String password) {
		ClientEndpoint client = new ClientEndpoint(EndpointSettings
			.client("esme", "127.0.0.1", this.smsc.getLocalAddress().getPort(), "esme-1", EsmeAgainstJsmppSmscTests.FAST)
			.withProtocol(new SmppProtocol(SmppSettings.client(password, ""))), this.transport, this.events::add);
		client.start();
		return client;
	}

	private List<ReconnectAttemptEvent> failedAttempts() {
		return this.events.stream()
			.filter(ReconnectAttemptEvent.class::isInstance)
			.map(ReconnectAttemptEvent.class::cast)
			.filter((attempt) -> !attempt.isSuccessful())
			.toList();
	}

}

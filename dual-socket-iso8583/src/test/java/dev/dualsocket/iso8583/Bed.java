package dev.dualsocket.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.SocketSnapshot;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.jpos.iso.ISOMsg;

/**
 * Real endpoints on 127.0.0.1 speaking ISO 8583, sharing one transport, with every event recorded.
 */
final class Bed implements AutoCloseable {

	/** Heartbeat (echo test) every 200 ms, failed after a second without an answer. */
	static final LinkSettings FAST = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofMillis(1000))
		.requestTimeout(Duration.ofSeconds(10))
		.connectTimeout(Duration.ofSeconds(2))
		.reconnect(5, Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
		.afterDisconnect(true, Duration.ofMillis(200), LinkSettings.AfterDisconnect.UNLIMITED)
		.recovery(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(10))
		.build();

	final TransportResources transport = TransportResources.create(TransportSettings.defaults());

	private final List<DualSocketEvent> events = new CopyOnWriteArrayList<>();

	private final List<DualSocketEndpoint> endpoints = new ArrayList<>();

	ClientEndpoint client(String name, int port, int inboundPort, Iso8583Protocol protocol) {
		EndpointSettings settings = EndpointSettings.client(name, "127.0.0.1", port, "link-1", FAST)
			.withProtocol(protocol)
			.withInboundPort(inboundPort);
		ClientEndpoint client = new ClientEndpoint(settings, this.transport, this.events::add);
		this.endpoints.add(client);
		return client;
	}

	ServerEndpoint server(String name, int port, int inboundPort, Iso8583Protocol protocol) {
		EndpointSettings settings = new EndpointSettings(name, EndpointRole.SERVER, "127.0.0.1", port, "link-1", FAST,
				null, List.of(), EndpointSettings.DEFAULT_MAX_LINKS, EndpointSettings.DEFAULT_MAX_PENDING_HANDSHAKES,
				EndpointSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, LinkAuthentication.NONE,
				EndpointSettings.Failback.DISABLED, protocol, inboundPort);
		ServerEndpoint server = new ServerEndpoint(settings, this.transport, this.events::add);
		this.endpoints.add(server);
		return server;
	}

	/** The state changes of one endpoint's links so far, once the events handed over have been delivered. */
	List<LinkStateChangedEvent> stateChanges(String endpoint) {
		this.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
		return this.events.stream()
			.filter(LinkStateChangedEvent.class::isInstance)
			.map(LinkStateChangedEvent.class::cast)
			.filter((event) -> event.getEndpoint().equals(endpoint))
			.toList();
	}

	void clearEvents() {
		this.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
		this.events.clear();
	}

	/**
	 * Sends an 0200 on a link and checks its 0210: same STAN, approved.
	 */
	static void assertAnswered(DualSocketLink link, String stan) throws Exception {
		ISOMsg answer = link.request(Iso8583CodecTests.message("0200", stan, "TERM0001"), ISOMsg.class)
			.get(5, TimeUnit.SECONDS);
		assertThat(answer.getMTI()).isEqualTo("0210");
		assertThat(answer.getString(11)).isEqualTo(stan);
		assertThat(answer.getString(39)).isEqualTo("00");
	}

	/**
	 * Waits for a link to be NORMAL again with a second connection on the socket that failed.
	 */
	static void awaitRecovered(DualSocketLink link, SocketRole socket) {
		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == LinkState.NORMAL
				&& snapshot(link, socket).connects() == 2 && snapshot(link, socket).up());
	}

	static SocketSnapshot snapshot(DualSocketLink link, SocketRole socket) {
		return (socket == SocketRole.OUTBOUND) ? link.snapshot().outbound() : link.snapshot().inbound();
	}

	static void awaitNormal(DualSocketLink link) {
		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == LinkState.NORMAL);
	}

	@Override
	public void close() {
		this.endpoints.forEach((endpoint) -> endpoint.stop(Duration.ZERO));
		this.transport.close();
	}

}

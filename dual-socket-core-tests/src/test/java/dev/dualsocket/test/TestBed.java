package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * Real endpoints on 127.0.0.1 sharing one transport, with every event recorded; closes them all.
 */
public final class TestBed implements AutoCloseable {

	/** Fast timing for tests: heartbeat every 200 ms, failed after 600 ms of silence. */
	public static final LinkSettings FAST = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofMillis(600))
		.requestTimeout(Duration.ofSeconds(10))
		.connectTimeout(Duration.ofSeconds(2))
		.reconnect(5, Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
		.afterDisconnect(true, Duration.ofMillis(200), LinkSettings.AfterDisconnect.UNLIMITED)
		.recovery(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(10))
		.build();

	public final RecordingEvents events = new RecordingEvents();

	public final TransportResources transport;

	/** What the endpoints are given: the recording first, then the test's own listener, if any. */
	private final DualSocketEventListener listener;

	private final List<DualSocketEndpoint> endpoints = new ArrayList<>();

	public TestBed() {
		this(TransportSettings.defaults());
	}

	public TestBed(TransportSettings settings) {
		this(settings, DualSocketEventListener.NONE);
	}

	/**
	 * A test bed whose endpoints also give every event to a listener of the test's, after recording it.
	 */
	public TestBed(TransportSettings settings, DualSocketEventListener also) {
		this.transport = TransportResources.create(settings);
		this.events.deliveredBy(this.transport.eventThreads());
		this.listener = (also == DualSocketEventListener.NONE) ? this.events : (event) -> {
			this.events.onEvent(event);
			also.onEvent(event);
		};
	}

	/**
	 * A test bed whose transport looks at network interfaces every {@code interval}, for tests that take one down.
	 */
	public static TestBed pollingInterfacesEvery(Duration interval) {
		TransportSettings defaults = TransportSettings.defaults();
		return new TestBed(new TransportSettings(defaults.ioThreads(), defaults.handlerThreads(),
				defaults.handlerQueueCapacity(), defaults.recoveryThreads(), defaults.nativeTransport(), interval));
	}

	public ServerEndpoint server(String name, LinkSettings settings) {
		return server(name, "127.0.0.1", 0, settings);
	}

	public ServerEndpoint server(String name, String host, int port, LinkSettings settings) {
		return server(EndpointSettings.server(name, host, port, settings));
	}

	public ServerEndpoint server(EndpointSettings settings) {
		ServerEndpoint server = new ServerEndpoint(settings, this.transport, this.listener);
		server.start();
		this.endpoints.add(server);
		return server;
	}

	public ClientEndpoint client(String name, String linkId, int port, LinkSettings settings) {
		return client(name, linkId, "127.0.0.1", port, settings);
	}

	public ClientEndpoint client(String name, String linkId, String host, int port, LinkSettings settings) {
		return client(EndpointSettings.client(name, host, port, linkId, settings));
	}

	public ClientEndpoint client(EndpointSettings settings) {
		ClientEndpoint client = new ClientEndpoint(settings, this.transport, this.listener);
		client.start();
		this.endpoints.add(client);
		return client;
	}

	/**
	 * Closes an endpoint made elsewhere together with the others.
	 */
	public void adopt(DualSocketEndpoint endpoint) {
		this.endpoints.add(endpoint);
	}

	/**
	 * Waits until an endpoint's links have changed state at least as often as given, and checks that they went
	 * through those states first, in order.
	 */
	public void awaitStates(String endpoint, LinkState... states) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.states(endpoint).size() >= states.length);
		assertThat(this.events.states(endpoint)).startsWith(states);
	}

	/**
	 * Waits until a link is {@code NORMAL}.
	 */
	public static void awaitNormal(DualSocketLink link) {
		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == LinkState.NORMAL);
	}

	/**
	 * Waits until the server has a {@code NORMAL} link with the given id, and returns it.
	 */
	public static DualSocketLink awaitServerLink(ServerEndpoint server, String linkId) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.findLink(linkId).map((link) -> link.getState() == LinkState.NORMAL).orElse(false));
		return server.link(linkId);
	}

	@Override
	public void close() {
		this.endpoints.forEach((endpoint) -> endpoint.stop(Duration.ZERO));
		this.transport.close();
	}

}

package dev.dualsocket.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.RequestHandler;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * This library as an application uses it: one shared transport, a server endpoint on 127.0.0.1 and a client endpoint
 * with one link to it, both answering requests with the request's own payload. That echo never blocks and says so
 * ({@link RequestHandler#nonBlocking}), as an application's handler that only computes would, so it runs on the I/O
 * threads; {@link #DualSocketBed(LinkSettings, TransportSettings, DualSocketEventListener, IntUnaryOperator, boolean)}
 * makes it a handler that may block, run on the handler pool, for comparison.
 */
public final class DualSocketBed implements AutoCloseable {

	public static final String LINK_ID = "bench-1";

	public static final String SERVER = "bench-server";

	public static final String CLIENT = "bench-client";

	public final TransportResources transport;

	public final ServerEndpoint server;

	public final ClientEndpoint client;

	public final DualSocketLink clientLink;

	public final DualSocketLink serverLink;

	public DualSocketBed(LinkSettings settings, DualSocketEventListener events) {
		this(settings, events, (port) -> port);
	}

	/**
	 * @param connectTo given the server's port, the port the client connects to (a proxy may sit between)
	 */
	public DualSocketBed(LinkSettings settings, DualSocketEventListener events, IntUnaryOperator connectTo) {
		this(settings, TransportSettings.defaults(), events, connectTo);
	}

	/**
	 * Starts client endpoints a batch at a time, each batch once the one before is {@code NORMAL}, so that a thousand
	 * links do not all dial at once.
	 * @param count how many endpoints
	 * @param batchSize how many start together
	 * @param create makes the endpoint with the given number, not yet started
	 * @param started receives every endpoint made, so that the caller can stop them
	 * @return every endpoint's link, {@code NORMAL}
	 */
	public static List<DualSocketLink> startInBatches(int count, int batchSize, IntFunction<ClientEndpoint> create,
			List<ClientEndpoint> started) {
		List<DualSocketLink> all = new ArrayList<>();
		for (int i = 0; i < count; i += batchSize) {
			List<DualSocketLink> batch = new ArrayList<>();
			for (int j = i; j < Math.min(count, i + batchSize); j++) {
				ClientEndpoint client = create.apply(j);
				client.start();
				started.add(client);
				batch.add(client.link(client.getSettings().linkId()));
			}
			for (DualSocketLink link : batch) {
				awaitNormal(link, Duration.ofSeconds(60));
			}
			all.addAll(batch);
		}
		return all;
	}

	/**
	 * @param transport thread settings of the shared transport
	 * @param connectTo given the server's port, the port the client connects to (a proxy may sit between)
	 */
	public DualSocketBed(LinkSettings settings, TransportSettings transport, DualSocketEventListener events,
			IntUnaryOperator connectTo) {
		this(settings, transport, events, connectTo, false);
	}

	/**
	 * @param transport thread settings of the shared transport
	 * @param connectTo given the server's port, the port the client connects to (a proxy may sit between)
	 * @param blockingHandlers whether the echo handlers are left as handlers that may block, which run on the handler
	 * pool, rather than declared non-blocking
	 */
	public DualSocketBed(LinkSettings settings, TransportSettings transport, DualSocketEventListener events,
			IntUnaryOperator connectTo, boolean blockingHandlers) {
		RequestHandler echo = blockingHandlers ? (request) -> request.payload()
				: RequestHandler.nonBlocking((request) -> request.payload());
		this.transport = TransportResources.create(transport);
		this.server = new ServerEndpoint(SecuredEndpoints.server(SERVER, "127.0.0.1", 0, settings), this.transport,
				events);
		this.server.setRequestHandler(echo);
		this.server.start();
		int port = this.server.getLocalAddress().getPort();
		this.client = new ClientEndpoint(
				SecuredEndpoints.client(CLIENT, "127.0.0.1", connectTo.applyAsInt(port), LINK_ID, settings),
				this.transport, events);
		this.client.setRequestHandler(echo);
		this.client.start();
		this.clientLink = this.client.link(LINK_ID);
		awaitNormal(this.clientLink, Duration.ofSeconds(10));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.server.findLink(LINK_ID).map((link) -> link.getState() != LinkState.NORMAL).orElse(true)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the server's link did not come up");
			}
			sleep(1);
		}
		this.serverLink = this.server.link(LINK_ID);
	}

	public static void awaitNormal(DualSocketLink link, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (link.getState() != LinkState.NORMAL) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("link " + link.getId() + " is " + link.getState() + " after " + timeout);
			}
			sleep(1);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.client.stop(Duration.ZERO);
		this.server.stop(Duration.ZERO);
		this.transport.close();
	}

}

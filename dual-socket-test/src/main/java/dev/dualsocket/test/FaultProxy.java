package dev.dualsocket.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSnapshot;
import dev.dualsocket.link.SocketSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 that forwards each accepted connection to an upstream port, and can break any one of them
 * the way networks break: cut it (both ends see a reset), black-hole it (both ends stay open and writes succeed, but
 * nothing arrives any more), or delay it (everything arrives, late). It can also refuse new connections, so that
 * re-connect attempts fail.
 *
 * <p>Put one in front of a server endpoint and point the client at {@link #port()}: both connections of the link
 * then run through the proxy, and {@link #connection(DualSocketLink, SocketRole)} tells them apart:
 *
 * <pre class="code">
 * try (FaultProxy proxy = FaultProxy.inFrontOf(server)) {
 *     // ... a client endpoint connects to proxy.port() ...
 *     proxy.connection(clientLink, SocketRole.OUTBOUND).cut();
 *     LinkStates.awaitState(clientLink, LinkState.NORMAL, Duration.ofSeconds(5));
 * }
 * </pre>
 */
public final class FaultProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int upstreamPort;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private final AtomicInteger refusedConnections = new AtomicInteger();

	private volatile boolean refusing;

	private volatile long delayNanos;

	private volatile boolean closed;

	/**
	 * Starts a proxy, for a static field of a test class (a Spring test's port must be known before its context
	 * starts).
	 * @param upstreamPort the port to forward to
	 * @return the proxy
	 * @throws IllegalStateException if no port can be bound
	 */
	public static FaultProxy forwardingTo(int upstreamPort) {
		try {
			return new FaultProxy(upstreamPort);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts a proxy on a free port of 127.0.0.1 that forwards to the given port of 127.0.0.1.
	 * @param upstreamPort the port to forward to
	 * @throws IOException if no port can be bound
	 */
	public FaultProxy(int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a proxy in front of a started server endpoint (configured with any port, 0 included).
	 * @param server the server endpoint
	 * @return the proxy
	 * @throws IOException if no port can be bound
	 * @throws IllegalArgumentException if the endpoint is not a server endpoint
	 * @see Endpoints#boundPort(DualSocketEndpoint)
	 */
	public static FaultProxy inFrontOf(DualSocketEndpoint server) throws IOException {
		return new FaultProxy(Endpoints.boundPort(server));
	}

	/**
	 * The port clients connect to.
	 * @return the proxy's port
	 */
	public int port() {
		return this.listener.getLocalPort();
	}

	/**
	 * While on, every new connection is accepted and reset at once, before anything is forwarded.
	 * @param refusing whether to refuse
	 */
	public void refuseNewConnections(boolean refusing) {
		this.refusing = refusing;
	}

	/**
	 * How many connections were refused.
	 * @return the count
	 */
	public int refusedConnections() {
		return this.refusedConnections.get();
	}

	/**
	 * Delays everything forwarded, both ways, on every connection open now and every later one.
	 * @param delay the added latency; {@link Duration#ZERO} for none
	 * @see Connection#delay(Duration)
	 */
	public void delay(Duration delay) {
		this.delayNanos = delay.toNanos();
		this.connections.forEach((connection) -> connection.delay(delay));
	}

	/**
	 * The proxied connection that carries one socket of a link. The link may be either end: a client link's socket
	 * is found by its local port, a server link's by its remote port (the proxy's own upstream end).
	 * @param link a link whose connections run through this proxy
	 * @param socket which of its sockets
	 * @return the connection
	 * @throws IllegalStateException if that socket has no connection now
	 * @throws IllegalArgumentException if its connection does not run through this proxy
	 */
	public Connection connection(DualSocketLink link, SocketRole socket) {
		LinkSnapshot snapshot = link.snapshot();
		SocketSnapshot state = (socket == SocketRole.OUTBOUND) ? snapshot.outbound() : snapshot.inbound();
		if (snapshot.role() == EndpointRole.CLIENT) {
			return connectionFrom(Sockets.localPort(state));
		}
		int upstreamEnd = Sockets.remotePort(state);
		return find((connection) -> connection.upstreamEndPort == upstreamEnd,
				"no proxied connection to " + snapshot.endpoint() + "'s " + socket.label() + " socket at port "
						+ upstreamEnd);
	}

	/**
	 * The proxied connection whose client side has the given local port.
	 * @param clientPort the port of the client end of the connection
	 * @return the connection
	 * @throws IllegalArgumentException if there is none
	 */
	public Connection connectionFrom(int clientPort) {
		return find((connection) -> connection.clientPort == clientPort, "no proxied connection from port " + clientPort);
	}

	private Connection find(Predicate<Connection> which, String otherwise) {
		// The newest first: the kernel may hand out a port again once its old connection is gone.
		List<Connection> all = this.connections;
		for (int i = all.size() - 1; i >= 0; i--) {
			if (which.test(all.get(i))) {
				return all.get(i);
			}
		}
		throw new IllegalArgumentException(otherwise);
	}

	/**
	 * Every connection accepted and forwarded so far, open or not, oldest first.
	 * @return the connections
	 */
	public List<Connection> connections() {
		return List.copyOf(this.connections);
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				if (this.refusing) {
					this.refusedConnections.incrementAndGet();
					resetAndClose(client);
					continue;
				}
				Socket upstream = connectUpstream(client);
				if (upstream == null) {
					continue;
				}
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				Connection connection = new Connection(client, upstream, this.delayNanos);
				this.connections.add(connection);
				connection.start();
			}
			catch (IOException ex) {
				// the listener closed, or a connection went away while being set up
			}
		}
	}

	private @Nullable Socket connectUpstream(Socket client) {
		try {
			return new Socket(InetAddress.getLoopbackAddress(), this.upstreamPort);
		}
		catch (IOException ex) {
			// The upstream refused: so does the proxy.
			resetAndClose(client);
			return null;
		}
	}

	/**
	 * Stops accepting and cuts every connection.
	 * @throws IOException if the listener cannot be closed
	 */
	@Override
	public void close() throws IOException {
		this.closed = true;
		this.listener.close();
		this.connections.forEach(Connection::cut);
	}

	private static void resetAndClose(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	/**
	 * One proxied connection: the client's connection to the proxy and the proxy's connection upstream.
	 */
	public static final class Connection {

		private static final byte[] END = new byte[0];

		private final Socket client;

		private final Socket upstream;

		private final int clientPort;

		private final int upstreamEndPort;

		private final BlockingQueue<Chunk> toUpstream = new LinkedBlockingQueue<>();

		private final BlockingQueue<Chunk> toClient = new LinkedBlockingQueue<>();

		private volatile long delayNanos;

		private volatile boolean blackHoled;

		private volatile boolean cut;

		private volatile boolean closedByClient;

		private volatile boolean closedByUpstream;

		Connection(Socket client, Socket upstream, long delayNanos) {
			this.client = client;
			this.upstream = upstream;
			this.clientPort = ((InetSocketAddress) client.getRemoteSocketAddress()).getPort();
			this.upstreamEndPort = upstream.getLocalPort();
			this.delayNanos = delayNanos;
		}

		void start() throws IOException {
			pump(this.client.getInputStream(), this.toUpstream, this.upstream.getOutputStream(), true);
			pump(this.upstream.getInputStream(), this.toClient, this.client.getOutputStream(), false);
		}

		/**
		 * The port of the client's end of the connection.
		 * @return the port
		 */
		public int clientPort() {
			return this.clientPort;
		}

		/** Both ends see the connection reset. */
		public void cut() {
			this.cut = true;
			resetAndClose(this.client);
			resetAndClose(this.upstream);
			this.toUpstream.add(new Chunk(0, END));
			this.toClient.add(new Chunk(0, END));
		}

		/** Nothing is forwarded any more in either direction; both ends stay open and their writes succeed. */
		public void blackHole() {
			this.blackHoled = true;
		}

		/**
		 * Delays what is forwarded from now on, both ways, by the given time; the order of the bytes is kept. A
		 * delay longer than the peers' heartbeat timeout looks to them like a black hole that heals.
		 * @param delay the added latency; {@link Duration#ZERO} for none
		 */
		public void delay(Duration delay) {
			this.delayNanos = delay.toNanos();
		}

		/**
		 * Whether the client end closed its side (seen even while black-holed).
		 * @return {@code true} once it closed
		 */
		public boolean closedByClient() {
			return this.closedByClient;
		}

		/**
		 * Whether the upstream end (the server) closed its side (seen even while black-holed).
		 * @return {@code true} once it closed
		 */
		public boolean closedByUpstream() {
			return this.closedByUpstream;
		}

		/**
		 * Whether neither end closed and the connection was not cut.
		 * @return {@code true} while open
		 */
		public boolean isOpen() {
			return !this.cut && !this.closedByClient && !this.closedByUpstream;
		}

		/**
		 * One direction: a reader that takes the bytes off the socket at once, stamped with when they are due, and a
		 * writer that hands them on when due, so that a delay adds latency without slowing the reader down.
		 */
		private void pump(InputStream in, BlockingQueue<Chunk> queue, OutputStream out, boolean fromClient) {
			String direction = (fromClient ? "up" : "down") + "-" + this.clientPort;
			daemon("fault-proxy-read-" + direction, () -> {
				byte[] buffer = new byte[16 * 1024];
				try {
					int read;
					while ((read = in.read(buffer)) >= 0) {
						if (!this.blackHoled) {
							queue.add(new Chunk(System.nanoTime() + this.delayNanos, Arrays.copyOf(buffer, read)));
						}
					}
				}
				catch (IOException ex) {
					// reset by the end we read from, or by our own cut
				}
				if (!this.cut) {
					if (fromClient) {
						this.closedByClient = true;
					}
					else {
						this.closedByUpstream = true;
					}
					// A black-holed connection keeps the other end open: it has to find out by itself.
					if (!this.blackHoled) {
						queue.add(new Chunk(System.nanoTime() + this.delayNanos, END));
					}
				}
			});
			daemon("fault-proxy-write-" + direction, () -> {
				try {
					while (true) {
						Chunk chunk = queue.take();
						long wait;
						while (!this.cut && (wait = chunk.due - System.nanoTime()) > 0) {
							LockSupport.parkNanos(wait);
						}
						if (chunk.bytes == END || this.cut) {
							break;
						}
						out.write(chunk.bytes);
						out.flush();
					}
				}
				catch (IOException ex) {
					// the end we write to is gone; its reader tells
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (!this.cut && !this.blackHoled) {
					cut();
				}
			});
		}

		private static void daemon(String name, Runnable task) {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			thread.start();
		}

		private record Chunk(long due, byte[] bytes) {
		}

	}

}

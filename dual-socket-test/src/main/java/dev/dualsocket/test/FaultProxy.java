package dev.dualsocket.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that forwards each accepted connection to an upstream port, and can break any one of them
 * the way networks break: cut it (both ends see a reset), or black-hole it (both ends stay open and writes succeed,
 * but nothing arrives any more). It can also refuse new connections, so that re-connect attempts fail.
 */
public final class FaultProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int upstreamPort;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private final AtomicInteger refusedConnections = new AtomicInteger();

	private volatile boolean refusing;

	private volatile boolean closed;

	public FaultProxy(int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/**
	 * While on, every new connection is accepted and closed at once, before anything is forwarded.
	 * @param refusing whether to refuse
	 */
	public void refuseNewConnections(boolean refusing) {
		this.refusing = refusing;
	}

	public int refusedConnections() {
		return this.refusedConnections.get();
	}

	/**
	 * The proxied connection whose client side has the given local port.
	 * @param clientPort the port of the client end of the connection
	 * @return the connection
	 */
	public Connection connectionFrom(int clientPort) {
		return this.connections.stream()
			.filter((connection) -> connection.clientPort == clientPort)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no proxied connection from port " + clientPort));
	}

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
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.upstreamPort);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				Connection connection = new Connection(client, upstream);
				this.connections.add(connection);
				connection.start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					// The upstream refused; the client's connection is already closed by the failed try.
					continue;
				}
			}
		}
	}

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
	 * One proxied connection.
	 */
	public static final class Connection {

		private final Socket client;

		private final Socket upstream;

		private final int clientPort;

		private volatile boolean blackHoled;

		private volatile boolean cut;

		private volatile boolean closedByClient;

		private volatile boolean closedByUpstream;

		Connection(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
			this.clientPort = ((InetSocketAddress) client.getRemoteSocketAddress()).getPort();
		}

		void start() throws IOException {
			pump(this.client.getInputStream(), this.upstream.getOutputStream(), true);
			pump(this.upstream.getInputStream(), this.client.getOutputStream(), false);
		}

		public int clientPort() {
			return this.clientPort;
		}

		/** Both ends see the connection reset. */
		public void cut() {
			this.cut = true;
			resetAndClose(this.client);
			resetAndClose(this.upstream);
		}

		/** Nothing is forwarded any more in either direction; both ends stay open and their writes succeed. */
		public void blackHole() {
			this.blackHoled = true;
		}

		/** Whether the client end closed its side (seen even while black-holed). */
		public boolean closedByClient() {
			return this.closedByClient;
		}

		/** Whether the upstream end (the server) closed its side (seen even while black-holed). */
		public boolean closedByUpstream() {
			return this.closedByUpstream;
		}

		public boolean isOpen() {
			return !this.cut && !this.closedByClient && !this.closedByUpstream;
		}

		private void pump(InputStream in, OutputStream out, boolean fromClient) {
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[16 * 1024];
				try {
					int read;
					while ((read = in.read(buffer)) >= 0) {
						if (!this.blackHoled) {
							out.write(buffer, 0, read);
							out.flush();
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
					if (!this.blackHoled) {
						cut();
					}
				}
			}, "fault-proxy-" + (fromClient ? "up" : "down") + "-" + this.clientPort);
			thread.setDaemon(true);
			thread.start();
		}

	}

}

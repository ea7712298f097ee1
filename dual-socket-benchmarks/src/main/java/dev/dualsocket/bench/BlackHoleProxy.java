package dev.dualsocket.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 that forwards each connection to an upstream port and can black-hole any one of them: both
 * ends stay open and their writes succeed, but nothing arrives any more, as when a route or a middlebox fails
 * silently. Only a heartbeat can tell.
 */
public final class BlackHoleProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int upstreamPort;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	public BlackHoleProxy(int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "black-hole-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/** The proxied connection whose client end has the given local port. */
	public Connection connectionFrom(int clientPort) {
		return this.connections.stream()
			.filter((connection) -> connection.clientPort == clientPort)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no proxied connection from port " + clientPort));
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.upstreamPort);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				Connection connection = new Connection(client, upstream);
				this.connections.add(connection);
				connection.start();
			}
			catch (IOException ex) {
				// closed, or the upstream refused
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.listener.close();
		this.connections.forEach(Connection::close);
	}

	/** One proxied connection. */
	public static final class Connection {

		private final Socket client;

		private final Socket upstream;

		private final int clientPort;

		private volatile boolean blackHoled;

		private volatile boolean done;

		Connection(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
			this.clientPort = ((InetSocketAddress) client.getRemoteSocketAddress()).getPort();
		}

		void start() throws IOException {
			pump(this.client.getInputStream(), this.upstream.getOutputStream(), "up");
			pump(this.upstream.getInputStream(), this.client.getOutputStream(), "down");
		}

		/** From now on nothing is forwarded either way; both ends stay open. */
		public void blackHole() {
			this.blackHoled = true;
		}

		void close() {
			this.done = true;
			try {
				this.client.close();
			}
			catch (IOException ex) {
				// gone
			}
			try {
				this.upstream.close();
			}
			catch (IOException ex) {
				// gone
			}
		}

		private void pump(InputStream in, OutputStream out, String direction) {
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
					// an end went away
				}
				// One end closed: a black-holed connection keeps the other end open (it must find out by itself);
				// any other closes both.
				if (!this.blackHoled) {
					close();
				}
				else {
					this.done = true;
				}
			}, "black-hole-proxy-" + direction + "-" + this.clientPort);
			thread.setDaemon(true);
			thread.start();
		}

	}

}

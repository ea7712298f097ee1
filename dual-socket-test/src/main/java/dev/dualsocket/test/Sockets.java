package dev.dualsocket.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import dev.dualsocket.SocketRole;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.SocketSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Finds the connections behind a link's sockets.
 */
public final class Sockets {

	private Sockets() {
	}

	/**
	 * A port on the loopback address that nothing listens on now, for a server a test configures before it starts.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The local port of a socket's current connection.
	 * @param socket the socket, from {@link DualSocketLink#snapshot()}
	 * @return the port
	 * @throws IllegalStateException if the socket has no connection now
	 */
	public static int localPort(SocketSnapshot socket) {
		return portOf(addressOf(socket, socket.localAddress()));
	}

	/**
	 * The peer's port of a socket's current connection.
	 * @param socket the socket, from {@link DualSocketLink#snapshot()}
	 * @return the port
	 * @throws IllegalStateException if the socket has no connection now
	 */
	public static int remotePort(SocketSnapshot socket) {
		return portOf(addressOf(socket, socket.remoteAddress()));
	}

	private static String addressOf(SocketSnapshot socket, @Nullable String address) {
		if (address == null) {
			throw new IllegalStateException("the " + socket.role().label() + " socket has no connection now");
		}
		return address;
	}

	/**
	 * The port of an address as a snapshot shows it ({@code /127.0.0.1:41234}).
	 * @param address the address
	 * @return the port
	 */
	public static int portOf(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

	/**
	 * The proxied connection that carries a client link's outbound socket.
	 * @param clientLink the link
	 * @param proxy the proxy its connections run through
	 * @return the connection
	 * @see FaultProxy#connection(DualSocketLink, SocketRole)
	 */
	public static FaultProxy.Connection outboundOf(DualSocketLink clientLink, FaultProxy proxy) {
		return proxy.connection(clientLink, SocketRole.OUTBOUND);
	}

	/**
	 * The proxied connection that carries a client link's inbound socket.
	 * @param clientLink the link
	 * @param proxy the proxy its connections run through
	 * @return the connection
	 * @see FaultProxy#connection(DualSocketLink, SocketRole)
	 */
	public static FaultProxy.Connection inboundOf(DualSocketLink clientLink, FaultProxy proxy) {
		return proxy.connection(clientLink, SocketRole.INBOUND);
	}

}

package dev.dualsocket.test;

import java.util.Objects;

import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.SocketSnapshot;

/**
 * Finds the connections behind a link's sockets.
 */
public final class Sockets {

	private Sockets() {
	}

	/**
	 * The local port of a socket's current connection.
	 */
	public static int localPort(SocketSnapshot socket) {
		return portOf(Objects.requireNonNull(socket.localAddress(), () -> socket.role() + " socket is down"));
	}

	public static int portOf(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

	/**
	 * The proxied connection that carries a client link's outbound socket.
	 */
	public static FaultProxy.Connection outboundOf(DualSocketLink clientLink, FaultProxy proxy) {
		return proxy.connectionFrom(localPort(clientLink.snapshot().outbound()));
	}

	/**
	 * The proxied connection that carries a client link's inbound socket.
	 */
	public static FaultProxy.Connection inboundOf(DualSocketLink clientLink, FaultProxy proxy) {
		return proxy.connectionFrom(localPort(clientLink.snapshot().inbound()));
	}

}

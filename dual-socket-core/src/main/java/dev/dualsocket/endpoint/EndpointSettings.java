package dev.dualsocket.endpoint;

import java.time.Duration;
import java.util.List;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.protocol.DualSocketProtocol;
import dev.dualsocket.protocol.WireProtocol;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint's configuration.
 *
 * @param name the endpoint's name, used in logs, events, health and metrics
 * @param role client or server
 * @param host client: the peer's host; server: the address to listen on
 * @param port client: the peer's port; server: the port to listen on (0 picks a free one)
 * @param linkId client: the link id it presents; server: the one link it serves where its protocol pairs connections by
 * port, else ignored
 * @param link timing and recovery of the endpoint's links
 * @param ssl TLS for both sockets (a client or server context to match the role), or {@code null} for plain TCP
 * @param standby client: addresses tried after {@code host:port}, in order, when the link must be established anew
 * @param maxLinks server: the most links it holds at once; a client opening one more is refused {@code LINK_LIMIT}
 * @param maxPendingHandshakes server: the most accepted connections that have not yet sent their HELLO; one more is
 * closed at once
 * @param maxConnectionsPerAddress server: the most connections open at once from one remote IP address, in their
 * handshake or attached to a link; one more is closed at once
 * @param auth how connections prove they belong to their link; {@link LinkAuthentication#NONE} for not at all
 * @param failback client with standby addresses: whether and when it moves back to the primary address
 * @param protocol the wire protocol both connections speak ({@link DualSocketProtocol#INSTANCE} for this project's)
 * @param inboundPort where a protocol pairs connections by port ({@link dev.dualsocket.protocol.Pairing#PORT}): client:
 * the peer's port for its inbound socket; server: the port that takes the clients' inbound connections. 0: the same
 * port as the outbound socket's
 */
public record EndpointSettings(String name, EndpointRole role, String host, int port, @Nullable String linkId,
		LinkSettings link, @Nullable SslContext ssl, List<Address> standby, int maxLinks, int maxPendingHandshakes,
		int maxConnectionsPerAddress, LinkAuthentication auth, Failback failback, WireProtocol protocol, int inboundPort) {

	/** The default of {@link #maxLinks()}. */
	public static final int DEFAULT_MAX_LINKS = 10_000;

	/** The default of {@link #maxPendingHandshakes()}. */
	public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 1024;

	/**
	 * The default of {@link #maxConnectionsPerAddress()}: both sockets of 2,048 links from one address (many clients
	 * behind one NAT; the benchmarks' 1,000 links on loopback with room for every socket's re-connect), yet one
	 * address alone cannot use up the server's file descriptors.
	 */
	public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 4096;

	public static EndpointSettings client(String name, String host, int port, String linkId, LinkSettings link) {
		return new EndpointSettings(name, EndpointRole.CLIENT, host, port, linkId, link, null, List.of(),
				DEFAULT_MAX_LINKS, DEFAULT_MAX_PENDING_HANDSHAKES, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
				LinkAuthentication.NONE, Failback.DISABLED, DualSocketProtocol.INSTANCE, 0);
	}

	public static EndpointSettings server(String name, String host, int port, LinkSettings link) {
		return new EndpointSettings(name, EndpointRole.SERVER, host, port, null, link, null, List.of(),
				DEFAULT_MAX_LINKS, DEFAULT_MAX_PENDING_HANDSHAKES, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
				LinkAuthentication.NONE, Failback.DISABLED, DualSocketProtocol.INSTANCE, 0);
	}

	public EndpointSettings withSsl(@Nullable SslContext ssl) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes,
				this.maxConnectionsPerAddress, this.auth, this.failback, this.protocol, this.inboundPort);
	}

	public EndpointSettings withStandby(List<Address> standby) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				List.copyOf(standby), this.maxLinks, this.maxPendingHandshakes,
				this.maxConnectionsPerAddress, this.auth, this.failback, this.protocol, this.inboundPort);
	}

	public EndpointSettings withMaxLinks(int maxLinks) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, maxLinks, this.maxPendingHandshakes,
				this.maxConnectionsPerAddress, this.auth, this.failback, this.protocol, this.inboundPort);
	}

	public EndpointSettings withMaxPendingHandshakes(int maxPendingHandshakes) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, this.maxLinks, maxPendingHandshakes,
				this.maxConnectionsPerAddress, this.auth, this.failback, this.protocol, this.inboundPort);
	}

	public EndpointSettings withMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes,
				maxConnectionsPerAddress, this.auth, this.failback, this.protocol, this.inboundPort);
	}

	public EndpointSettings withAuth(LinkAuthentication auth) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes,
				this.maxConnectionsPerAddress, auth, this.failback, this.protocol, this.inboundPort);
	}

	public EndpointSettings withFailback(Failback failback) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes, this.maxConnectionsPerAddress, this.auth,
				failback, this.protocol, this.inboundPort);
	}

	/**
	 * The same endpoint with a link id: a client's, or the one link a server serves where its protocol pairs
	 * connections by port.
	 * @param linkId the link id
	 * @return the settings
	 */
	public EndpointSettings withLinkId(String linkId) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, linkId, this.link, this.ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes, this.maxConnectionsPerAddress, this.auth,
				this.failback, this.protocol, this.inboundPort);
	}

	/**
	 * The same endpoint speaking another wire protocol.
	 * @param protocol the protocol
	 * @return the settings
	 */
	public EndpointSettings withProtocol(WireProtocol protocol) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes, this.maxConnectionsPerAddress, this.auth,
				this.failback, protocol, this.inboundPort);
	}

	/**
	 * The same endpoint with a port of its own for the inbound socket (client) or the clients' inbound connections
	 * (server), for a protocol that pairs connections by port.
	 * @param inboundPort the port; 0 for the same as {@code port}
	 * @return the settings
	 */
	public EndpointSettings withInboundPort(int inboundPort) {
		return new EndpointSettings(this.name, this.role, this.host, this.port, this.linkId, this.link, this.ssl,
				this.standby, this.maxLinks, this.maxPendingHandshakes, this.maxConnectionsPerAddress, this.auth,
				this.failback, this.protocol, inboundPort);
	}

	/**
	 * The port a client connects a socket to, at an address: the inbound socket to {@code inbound-port} where one is
	 * set, at every address (a standby serves the same ports).
	 * @param address the address the link uses now
	 * @param socket the client's socket
	 * @return the port
	 */
	public int portFor(Address address, dev.dualsocket.SocketRole socket) {
		return (socket == dev.dualsocket.SocketRole.INBOUND && this.inboundPort != 0)
				? this.inboundPort : address.port();
	}

	/**
	 * Whether and when a client that moved to a standby address moves back to its primary (seed 004): it connects
	 * to the primary every {@code probeInterval} and, once the primary has answered every time for
	 * {@code stableFor} and the link has no request in flight, establishes the link at the primary again.
	 *
	 * @param enabled whether the client moves back at all
	 * @param stableFor how long the primary must keep answering
	 * @param probeInterval how often the client tries the primary
	 */
	public record Failback(boolean enabled, Duration stableFor, Duration probeInterval) {

		/** The client stays where it moved to. */
		public static final Failback DISABLED = new Failback(false, Duration.ofSeconds(30), Duration.ofSeconds(5));

		public Failback {
			if (stableFor.isNegative() || probeInterval.isNegative() || probeInterval.isZero()) {
				throw new IllegalArgumentException("failback needs a stable-for of 0 or more and a positive probe "
						+ "interval, was " + stableFor + " and " + probeInterval);
			}
		}

	}

	/**
	 * The addresses a client tries, primary first.
	 * @return {@code host:port} followed by the standby addresses
	 */
	public List<Address> addresses() {
		return java.util.stream.Stream.concat(java.util.stream.Stream.of(new Address(this.host, this.port)),
				this.standby.stream()).toList();
	}

	/**
	 * A host and port.
	 *
	 * @param host host name or IP address
	 * @param port port
	 */
	public record Address(String host, int port) {

		/**
		 * Parses {@code host:port}; an IPv6 host goes in brackets ({@code [::1]:7800}).
		 * @param text the address
		 * @return the address
		 * @throws IllegalArgumentException if it is not {@code host:port} with a port of 1 to 65535
		 */
		public static Address parse(String text) {
			int colon = text.lastIndexOf(':');
			if (colon <= 0 || colon == text.length() - 1) {
				throw new IllegalArgumentException("'" + text + "' is not host:port");
			}
			String host = text.substring(0, colon);
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			int port;
			try {
				port = Integer.parseInt(text.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + text + "' is not host:port");
			}
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("'" + text + "' has a port outside 1 to 65535");
			}
			return new Address(host, port);
		}

		@Override
		public String toString() {
			return (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":" + this.port;
		}

	}

}

package dev.dualsocket.event;

import java.net.SocketAddress;
import java.time.Instant;

import dev.dualsocket.SocketRole;

/**
 * A socket of a link was connected (client) or attached (server), at establishment or in a recovery.
 */
public class SocketConnectedEvent extends DualSocketEvent {

	private final SocketRole socket;

	private final String localAddress;

	private final String remoteAddress;

	public SocketConnectedEvent(String endpoint, String linkId, SocketRole socket, SocketAddress localAddress,
			SocketAddress remoteAddress, Instant time) {
		super(endpoint, linkId, time);
		this.socket = socket;
		this.localAddress = String.valueOf(localAddress);
		this.remoteAddress = String.valueOf(remoteAddress);
	}

	public SocketRole getSocket() {
		return this.socket;
	}

	public String getLocalAddress() {
		return this.localAddress;
	}

	public String getRemoteAddress() {
		return this.remoteAddress;
	}

}

package dev.dualsocket.test;

import java.io.IOException;

import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;

/**
 * A server endpoint and a client endpoint whose two connections run through a {@link FaultProxy}, both ends of the
 * link {@code NORMAL}.
 */
public final class ProxiedLink implements AutoCloseable {

	public static final String LINK_ID = "link-1";

	public final ServerEndpoint server;

	public final ClientEndpoint client;

	public final FaultProxy proxy;

	public final DualSocketLink clientLink;

	public final DualSocketLink serverLink;

	public ProxiedLink(TestBed bed, LinkSettings clientSettings, LinkSettings serverSettings) throws IOException {
		this.server = bed.server("server", serverSettings);
		this.server.setRequestHandler((request) -> request.payload());
		this.proxy = new FaultProxy(this.server.getLocalAddress().getPort());
		this.client = bed.client("client", LINK_ID, this.proxy.port(), clientSettings);
		this.client.setRequestHandler((request) -> request.payload());
		this.clientLink = this.client.link(LINK_ID);
		TestBed.awaitNormal(this.clientLink);
		this.serverLink = TestBed.awaitServerLink(this.server, LINK_ID);
	}

	/** The proxied connection of the client's outbound socket, which is the server's inbound socket. */
	public FaultProxy.Connection clientOutbound() {
		return Sockets.outboundOf(this.clientLink, this.proxy);
	}

	/** The proxied connection of the client's inbound socket, which is the server's outbound socket. */
	public FaultProxy.Connection clientInbound() {
		return Sockets.inboundOf(this.clientLink, this.proxy);
	}

	@Override
	public void close() throws IOException {
		this.proxy.close();
	}

}

package dev.dualsocket.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.Limit;
import dev.dualsocket.LinkState;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.Link;
import dev.dualsocket.link.LinkContext;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.protocol.DualSocketProtocol;
import dev.dualsocket.protocol.JoinRequest;
import dev.dualsocket.protocol.Pairing;
import dev.dualsocket.protocol.ServerHandshake;
import dev.dualsocket.protocol.WireProtocol;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.BackPressureHandler;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.ConnectionErrorHandler;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.HelloReject;
import dev.dualsocket.transport.TransportResources;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A server endpoint (Host B): listens on one port and accepts many client links (Fig. 2 of the source patent),
 * pairing each client's two connections by link id and session. It never dials out: when a socket fails it waits
 * for the client to re-connect it.
 */
public final class ServerEndpoint extends AbstractEndpoint {

	private static final Log logger = LogFactory.getLog(ServerEndpoint.class);

	private final TransportResources transport;

	private final ConnectionErrorHandler errors;

	/** The links by id; changed only under its own lock, read without. */
	private final Map<String, Link> links = new ConcurrentHashMap<>();

	/** The highest fencing epoch accepted per link id; guarded by {@link #links}. */
	private final HighestEpochs epochs;

	private volatile @Nullable Channel listener;

	/** Where a protocol pairs connections by port: the port the clients' inbound connections arrive on. */
	private volatile @Nullable Channel inboundListener;

	private volatile boolean stopping;

	private final RateLimitedLog linkLimit = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/** Accepted connections whose handshake has not completed yet. */
	private final AtomicInteger pendingHandshakes = new AtomicInteger();

	private final RateLimitedLog handshakeLimit = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/** Open connections by remote address, from accept to close. */
	private final ConnectionsPerAddress connectionsPerAddress;

	private final RateLimitedLog addressLimit = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	public ServerEndpoint(EndpointSettings settings, TransportResources transport, DualSocketEventListener events) {
		super(settings, new LinkContext(settings.name(), settings.role(), settings.link(), transport, events));
		if (settings.role() != EndpointRole.SERVER) {
			throw new IllegalArgumentException("Endpoint '" + settings.name() + "' needs role server");
		}
		this.transport = transport;
		this.errors = EndpointSupport.errorHandler(settings.name(), this.context);
		this.connectionsPerAddress = new ConnectionsPerAddress(settings.maxConnectionsPerAddress());
		// The links it may hold and as many it forgot: a paused former leader that comes back soon is still known.
		this.epochs = new HighestEpochs(settings.maxLinks() + 10_000);
		if (settings.auth().certificateBinding() && settings.ssl() == null) {
			throw new IllegalArgumentException("Endpoint '" + settings.name() + "' binds link ids to TLS client "
					+ "certificates, but has no TLS");
		}
		if (settings.protocol().getPairing() == Pairing.PORT) {
			if (settings.linkId() == null || settings.inboundPort() == 0 || settings.inboundPort() == settings.port()) {
				throw new IllegalArgumentException("Endpoint '" + settings.name() + "' speaks "
						+ settings.protocol().getName() + ", whose connections are paired by the port they arrive on: it "
						+ "needs a link-id (the one link it serves) and an inbound-port other than its port (where the "
						+ "client's inbound connection arrives)");
			}
		}
		settings.protocol().validate(settings);
	}

	/**
	 * Binds the port and starts accepting links.
	 * @throws EndpointStartException if the port cannot be bound
	 */
	@Override
	public synchronized void start() {
		if (this.listener != null) {
			return;
		}
		boolean byPort = this.settings.protocol().getPairing() == Pairing.PORT;
		Channel main = bind(this.settings.port(), byPort ? ChannelKind.CLIENT_OUTBOUND : null);
		if (byPort) {
			try {
				this.inboundListener = bind(this.settings.inboundPort(), ChannelKind.CLIENT_INBOUND);
			}
			catch (EndpointStartException ex) {
				main.close().syncUninterruptibly();
				throw ex;
			}
		}
		this.listener = main;
		this.stopping = false;
		LinkAuthentication auth = this.settings.auth();
		Channel inboundPort = this.inboundListener;
		logger.info("Endpoint '" + getName() + "' (server) listening on " + getLocalAddress() + ((inboundPort != null)
				? " (clients' outbound connections) and " + inboundPort.localAddress() + " (their inbound ones)" : "")
				+ ((this.settings.protocol() != DualSocketProtocol.INSTANCE)
						? ", speaking " + this.settings.protocol().getName() : "")
				+ ((this.settings.ssl() != null) ? " with TLS" : "") + (auth.isRequired() ? ", authenticating links"
						+ (auth.secrets() != null ? " by secret" : "") + (auth.certificateBinding() ? " by certificate" : "")
						: ""));
		if (!getLocalAddress().getAddress().isLoopbackAddress() && this.settings.ssl() == null && !auth.isRequired()) {
			logger.warn("Endpoint '" + getName() + "' listens on " + getLocalAddress() + " with neither TLS nor "
					+ "authentication: anyone who can reach the port can open a link, and anyone who can read the traffic "
					+ "can take one over. Set dual-socket.endpoints." + getName() + ".auth.secret, or an SSL bundle");
		}
	}

	/**
	 * Stops accepting links and closes every link in order: clients are told, requests in flight get up to
	 * {@code drainTimeout} to finish.
	 * @param drainTimeout how long to wait for requests in flight
	 */
	@Override
	public synchronized void stop(Duration drainTimeout) {
		this.stopping = true;
		Channel current = this.listener;
		if (current != null) {
			current.close().syncUninterruptibly();
			this.listener = null;
		}
		Channel inbound = this.inboundListener;
		if (inbound != null) {
			inbound.close().syncUninterruptibly();
			this.inboundListener = null;
		}
		List<Link> closing;
		synchronized (this.links) {
			closing = new ArrayList<>(this.links.values());
		}
		EndpointSupport.closeLinks(getName(), closing, drainTimeout);
		synchronized (this.links) {
			this.links.clear();
		}
	}

	/**
	 * Listens on a port.
	 * @param port the port
	 * @param channelByPort which connection of a link arrives there, where the protocol pairs by port; else
	 * {@code null}
	 */
	private Channel bind(int port, @Nullable ChannelKind channelByPort) {
		WireProtocol protocol = this.settings.protocol();
		ConnectionSetup setup = new ConnectionSetup(this.settings,
				(channelByPort != null) ? channelByPort.serverSocket() : null);
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.transport.eventLoopGroup())
			.channel(this.transport.serverSocketChannelType())
			.option(ChannelOption.SO_BACKLOG, 1024)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.SO_KEEPALIVE, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, BackPressureHandler.WATER_MARK)
			.childHandler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					if (!takeConnectionOfAddress(channel) || !takePendingHandshake(channel)) {
						return;
					}
					SslContext ssl = ServerEndpoint.this.settings.ssl();
					EndpointSupport.initPipeline(channel, (ssl != null) ? ssl.newHandler(channel.alloc()) : null,
							protocol, setup, protocol.newServerHandshake(new Handshake(channelByPort)),
							ServerEndpoint.this.errors);
				}
			});
		EndpointSupport.withKernelTimeouts(bootstrap, this.transport, this.settings.link());
		try {
			return bootstrap.bind(this.settings.host(), port).syncUninterruptibly().channel();
		}
		catch (Exception ex) {
			throw new EndpointStartException(getName(), this.settings.host(), port,
					"Endpoint '" + getName() + "' could not listen on " + this.settings.host() + ":" + port + ": "
							+ ex.getMessage(),
					ex);
		}
	}

	/**
	 * The address the clients' inbound connections arrive on, where the protocol pairs connections by port.
	 * @return the bound address, with the actual port when it was configured as 0
	 * @throws IllegalStateException if the endpoint is not started, or listens on one port
	 */
	public InetSocketAddress getInboundLocalAddress() {
		Channel current = this.inboundListener;
		if (current == null) {
			throw new IllegalStateException("Endpoint '" + getName() + "' has no inbound port listening");
		}
		return (InetSocketAddress) current.localAddress();
	}

	/**
	 * The address the endpoint listens on, with the actual port when it was configured as 0.
	 * @return the bound address
	 * @throws IllegalStateException if the endpoint is not started
	 */
	public InetSocketAddress getLocalAddress() {
		Channel current = this.listener;
		if (current == null) {
			throw new IllegalStateException("Endpoint '" + getName() + "' is not started");
		}
		return (InetSocketAddress) current.localAddress();
	}

	/**
	 * Counts a new connection against max-connections-per-address, or closes it at once when its address already has
	 * that many open: one address cannot hold every connection the server can take. The count is given back when the
	 * connection closes.
	 */
	private boolean takeConnectionOfAddress(Channel channel) {
		if (this.connectionsPerAddress.take(channel)) {
			return true;
		}
		InetAddress address = ConnectionsPerAddress.addressOf(channel);
		String why = "closed connection from " + channel.remoteAddress() + " at once: "
				+ ((address != null) ? address.getHostAddress() : "its address") + " already has "
				+ this.settings.maxConnectionsPerAddress() + " connections open (max-connections-per-address)";
		this.addressLimit.warn(() -> "Endpoint '" + getName() + "': " + why + ". Links held are not affected", null);
		EndpointSupport.limitExceeded(this.context, channel, null, Limit.CONNECTIONS_PER_ADDRESS, why);
		channel.close();
		return false;
	}

	/**
	 * Counts a new connection against max-pending-handshakes, or closes it at once when that many are already waiting
	 * for their handshake: connections that never finish one cannot pile up. The handshake handler gives the count
	 * back once it accepted or refused the connection, or the connection closed first.
	 */
	private boolean takePendingHandshake(Channel channel) {
		int limit = this.settings.maxPendingHandshakes();
		if (this.pendingHandshakes.incrementAndGet() > limit) {
			this.pendingHandshakes.decrementAndGet();
			String why = "closed connection from " + channel.remoteAddress() + " at once: " + limit
					+ " connections are still in their handshake (max-pending-handshakes)";
			this.handshakeLimit.warn(() -> "Endpoint '" + getName() + "': " + why + ". Links held are not affected",
					null);
			EndpointSupport.limitExceeded(this.context, channel, null, Limit.PENDING_HANDSHAKES, why);
			channel.close();
			return false;
		}
		return true;
	}

	/**
	 * Decides what to do with a client's handshake (on the connection's event loop), once it passed every check of
	 * the protocol's handshake and the endpoint's authentication.
	 */
	private HandshakeDecision accept(Channel channel, JoinRequest request) {
		if (this.stopping) {
			return HandshakeDecision.reject(HelloReject.Reason.SHUTTING_DOWN, "endpoint '" + getName() + "' is stopping");
		}
		Link link;
		String linkId = request.linkId();
		long epoch = request.epoch();
		long sessionId = request.sessionId();
		byte[] token = request.token();
		synchronized (this.links) {
			long highest = this.epochs.highest(linkId);
			if (epoch < highest) {
				// Before anything else: a paused former leader of the client's service must not touch the link.
				return HandshakeDecision.reject(HelloReject.Reason.STALE_EPOCH, "link '" + linkId
						+ "' was accepted at fencing epoch " + highest + "; this connection carries " + epoch
						+ ": another instance of the client's service holds the link");
			}
			link = this.links.get(linkId);
			if (request.joinsLiveSession() && link != null && link.getState().acceptsRequests()) {
				// A protocol without sessions: the connection joins the live session. Replacing a connection that is
				// still up takes a connection that proved it belongs to the link.
				if (!request.authenticated() && link.isSocketUp(request.channel().serverSocket())) {
					return HandshakeDecision.reject(HelloReject.Reason.LINK_IN_USE, "link '" + linkId + "' already has a "
							+ "live " + request.channel().serverSocket().label() + " connection; try again once it has "
							+ "failed");
				}
				sessionId = link.sessionId();
			}
			else if (token.length > 0) {
				// A connection re-joining a session: only into the very session it names, never into a new one, or
				// the client would re-send its requests into a session that has no record of them.
				if (link == null || !link.holdsSession(sessionId, token)) {
					return HandshakeDecision.reject(HelloReject.Reason.SESSION_ENDED, "the session of link '"
							+ linkId + "' that the connection names has ended; establish the link anew");
				}
			}
			else if (link != null && !request.authenticated() && link.hasLiveConnection()) {
				// Nobody authenticates here, so a new session cannot be told from a stranger's: the live link stays.
				return HandshakeDecision.reject(HelloReject.Reason.LINK_IN_USE, "link '" + linkId
						+ "' is held by a live session; try again once its connections have failed");
			}
			else {
				if (request.joinsLiveSession()) {
					// The first connection of a new session of a protocol without sessions: the server names it.
					sessionId = Link.newSessionId();
				}
				if (link == null || !restart(link, sessionId)) {
					if (link == null && this.links.size() >= this.settings.maxLinks()) {
						String why = "endpoint '" + getName() + "' already holds " + this.settings.maxLinks()
								+ " links (max-links); link '" + linkId + "' is refused until one goes";
						this.linkLimit.warn(() -> "Refused a new link: " + why
								+ ". The client tries again after its interval; the links held are not affected", null);
						EndpointSupport.limitExceeded(this.context, channel, linkId, Limit.LINKS, why);
						return HandshakeDecision.reject(HelloReject.Reason.LINK_LIMIT, why);
					}
					link = newLink(linkId, sessionId);
				}
			}
			this.epochs.accepted(linkId, epoch);
		}
		Link accepted = link;
		long joined = sessionId;
		byte[] sessionToken = accepted.sessionToken();
		return HandshakeDecision.accept(sessionToken,
				() -> accepted.attach(request.channel().serverSocket(), channel, joined, sessionToken),
				this.context.fencingEpoch(), this.context.servedRequestStore() != null);
	}

	/**
	 * Takes an existing link into the new session a handshake opens; the old session is given up.
	 * @return {@code false} if the link is closed and a new one is needed
	 */
	private boolean restart(Link link, long sessionId) {
		if (link.getState() == LinkState.NORMAL) {
			logger.warn("Endpoint '" + getName() + "': link '" + link.getId() + "' got an authenticated new session while "
					+ "the previous one was up; the client restarted or re-established the link, or two clients share its "
					+ "link id and secret");
		}
		return link.restart(sessionId, "the client started a new session");
	}

	private Link newLink(String id, long sessionId) {
		Link[] created = new Link[1];
		created[0] = Link.server(this.context, id, sessionId, () -> forget(created[0]));
		this.links.put(id, created[0]);
		if (this.context.isQuiesced()) {
			created[0].quiesce(); // the endpoint quiesced while the link was being made
		}
		logger.info("Endpoint '" + getName() + "': new link '" + id + "'");
		return created[0];
	}

	private void forget(Link link) {
		synchronized (this.links) {
			this.links.remove(link.getId(), link);
		}
	}

	/**
	 * The endpoint's side of one accepted connection's handshake, whatever the protocol.
	 */
	private final class Handshake implements ServerHandshake {

		private final @Nullable ChannelKind channelByPort;

		Handshake(@Nullable ChannelKind channelByPort) {
			this.channelByPort = channelByPort;
		}

		@Override
		public EndpointSettings endpoint() {
			return ServerEndpoint.this.settings;
		}

		@Override
		public @Nullable ChannelKind channelByPort() {
			return this.channelByPort;
		}

		@Override
		public Duration timeout() {
			return ServerEndpoint.this.settings.link().connectTimeout();
		}

		@Override
		public HandshakeDecision decide(Channel channel, JoinRequest request) {
			return accept(channel, request);
		}

		@Override
		public void finished() {
			ServerEndpoint.this.pendingHandshakes.decrementAndGet();
		}

	}

	@Override
	public EndpointRole getRole() {
		return EndpointRole.SERVER;
	}

	@Override
	public CompletableFuture<byte[]> request(byte[] payload) {
		throw new IllegalStateException("Endpoint '" + getName() + "' is a server with one link per client; "
				+ "address one with link(linkId).request(...)");
	}

	@Override
	public <T> CompletableFuture<T> request(Object payload, Class<T> responseType) {
		return request(new byte[0]).thenApply(responseType::cast);
	}

	@Override
	public <T> CompletableFuture<T> request(String messageType, Object payload, Class<T> responseType) {
		return request(new byte[0]).thenApply(responseType::cast);
	}

	@Override
	public Optional<DualSocketLink> findLink(String linkId) {
		return Optional.ofNullable(this.links.get(linkId));
	}

	@Override
	public Collection<DualSocketLink> links() {
		return List.copyOf(this.links.values());
	}

	@Override
	public boolean isRunning() {
		return this.listener != null;
	}

}

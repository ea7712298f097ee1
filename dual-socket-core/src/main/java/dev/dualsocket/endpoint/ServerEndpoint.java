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
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.BackPressureHandler;
import dev.dualsocket.transport.ConnectionErrorHandler;
import dev.dualsocket.transport.FrameDecoder;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.Hello;
import dev.dualsocket.transport.HelloReject;
import dev.dualsocket.transport.ServerHandshakeHandler;
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

	private final ServerHandshakeHandler.Credentials credentials;

	/** The links by id; changed only under its own lock, read without. */
	private final Map<String, Link> links = new ConcurrentHashMap<>();

	/** The highest fencing epoch accepted per link id; guarded by {@link #links}. */
	private final HighestEpochs epochs;

	private volatile @Nullable Channel listener;

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
		this.credentials = credentials(settings);
	}

	private static ServerHandshakeHandler.Credentials credentials(EndpointSettings settings) {
		LinkAuthentication auth = settings.auth();
		if (auth.certificateBinding() && settings.ssl() == null) {
			throw new IllegalArgumentException("Endpoint '" + settings.name() + "' binds link ids to TLS client "
					+ "certificates, but has no TLS");
		}
		return new ServerHandshakeHandler.Credentials(auth.secrets() != null, auth.certificateBinding(),
				(linkId) -> auth.secretFor(settings.name(), linkId));
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
					FrameDecoder frames = new FrameDecoder(ServerEndpoint.this.settings.link().maxFrameSize());
					EndpointSupport.initPipeline(channel, (ssl != null) ? ssl.newHandler(channel.alloc()) : null, frames,
							new ServerHandshakeHandler(ServerEndpoint.this::accept, ServerEndpoint.this.credentials,
									ServerEndpoint.this.settings.link().connectTimeout(), frames,
									ServerEndpoint.this.pendingHandshakes::decrementAndGet),
							ServerEndpoint.this.errors);
				}
			});
		EndpointSupport.withKernelTimeouts(bootstrap, this.transport, this.settings.link());
		try {
			this.listener = bootstrap.bind(this.settings.host(), this.settings.port()).syncUninterruptibly().channel();
		}
		catch (Exception ex) {
			throw new EndpointStartException(getName(), this.settings.host(), this.settings.port(),
					"Endpoint '" + getName() + "' could not listen on " + this.settings.host() + ":" + this.settings.port()
							+ ": " + ex.getMessage(),
					ex);
		}
		this.stopping = false;
		LinkAuthentication auth = this.settings.auth();
		logger.info("Endpoint '" + getName() + "' (server) listening on " + getLocalAddress()
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
	 * the endpoint's authentication.
	 */
	private HandshakeDecision accept(Hello hello, Channel channel, boolean authenticated) {
		if (this.stopping) {
			return HandshakeDecision.reject(HelloReject.Reason.SHUTTING_DOWN, "endpoint '" + getName() + "' is stopping");
		}
		Link link;
		long epoch = hello.epoch();
		synchronized (this.links) {
			long highest = this.epochs.highest(hello.linkId());
			if (epoch < highest) {
				// Before anything else: a paused former leader of the client's service must not touch the link.
				return HandshakeDecision.reject(HelloReject.Reason.STALE_EPOCH, "link '" + hello.linkId()
						+ "' was accepted at fencing epoch " + highest + "; this connection carries " + epoch
						+ ": another instance of the client's service holds the link");
			}
			link = this.links.get(hello.linkId());
			if (hello.token().length > 0) {
				// A connection re-joining a session: only into the very session it names, never into a new one, or
				// the client would re-send its requests into a session that has no record of them.
				if (link == null || !link.holdsSession(hello.sessionId(), hello.token())) {
					return HandshakeDecision.reject(HelloReject.Reason.SESSION_ENDED, "the session of link '"
							+ hello.linkId() + "' that the connection names has ended; establish the link anew");
				}
			}
			else if (link != null && !authenticated && link.hasLiveConnection()) {
				// Nobody authenticates here, so a new session cannot be told from a stranger's: the live link stays.
				return HandshakeDecision.reject(HelloReject.Reason.LINK_IN_USE, "link '" + hello.linkId()
						+ "' is held by a live session; try again once its connections have failed");
			}
			else if (link == null || !restart(link, hello)) {
				if (link == null && this.links.size() >= this.settings.maxLinks()) {
					String why = "endpoint '" + getName() + "' already holds " + this.settings.maxLinks()
							+ " links (max-links); link '" + hello.linkId() + "' is refused until one goes";
					this.linkLimit.warn(() -> "Refused a new link: " + why
							+ ". The client tries again after its interval; the links held are not affected", null);
					EndpointSupport.limitExceeded(this.context, channel, hello.linkId(), Limit.LINKS, why);
					return HandshakeDecision.reject(HelloReject.Reason.LINK_LIMIT, why);
				}
				link = newLink(hello);
			}
			this.epochs.accepted(hello.linkId(), epoch);
		}
		Link accepted = link;
		byte[] token = accepted.sessionToken();
		return HandshakeDecision.accept(token,
				() -> accepted.attach(hello.channel().serverSocket(), channel, hello.sessionId(), token),
				this.context.fencingEpoch(), this.context.servedRequestStore() != null);
	}

	/**
	 * Takes an existing link into the new session a handshake opens; the old session is given up.
	 * @return {@code false} if the link is closed and a new one is needed
	 */
	private boolean restart(Link link, Hello hello) {
		if (link.getState() == LinkState.NORMAL) {
			logger.warn("Endpoint '" + getName() + "': link '" + link.getId() + "' got an authenticated new session while "
					+ "the previous one was up; the client restarted or re-established the link, or two clients share its "
					+ "link id and secret");
		}
		return link.restart(hello.sessionId(), "the client started a new session");
	}

	private Link newLink(Hello hello) {
		String id = hello.linkId();
		Link[] created = new Link[1];
		created[0] = Link.server(this.context, id, hello.sessionId(), () -> forget(created[0]));
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

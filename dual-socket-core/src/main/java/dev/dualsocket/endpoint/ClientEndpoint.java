package dev.dualsocket.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.AddressChangedEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.Link;
import dev.dualsocket.link.LinkContext;
import dev.dualsocket.link.SocketConnector;
import dev.dualsocket.protocol.ClientHandshake;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.protocol.WireProtocol;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.BackPressureHandler;
import dev.dualsocket.transport.ConnectionErrorHandler;
import dev.dualsocket.transport.HandshakeRejectedException;
import dev.dualsocket.transport.HelloReject;
import dev.dualsocket.transport.Authentication;
import dev.dualsocket.transport.TransportResources;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A client endpoint (Host A): one link to one peer, whose two sockets it connects and, when one fails, re-connects.
 */
public final class ClientEndpoint extends AbstractEndpoint implements SocketConnector {

	private static final Log logger = LogFactory.getLog(ClientEndpoint.class);

	private final Bootstrap bootstrap;

	private final ConnectionErrorHandler errors;

	private final List<EndpointSettings.Address> addresses;

	private volatile int currentAddress;

	private volatile @Nullable Link link;

	private static final long NOT_ANSWERING = Long.MIN_VALUE;

	/** When the primary started answering every failback probe, or {@link #NOT_ANSWERING}. */
	private volatile long primarySince = NOT_ANSWERING;

	private volatile boolean stopped;

	/** The highest fencing epoch a server accepted this client with (section 4.6 of the protocol). */
	private final AtomicLong highestServerEpoch = new AtomicLong();

	private final RateLimitedLog fenced = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/** Counts the starts after a stop, so that a failback probe of an earlier run does not go on in a later one. */
	private volatile int probes;

	public ClientEndpoint(EndpointSettings settings, TransportResources transport, DualSocketEventListener events) {
		super(settings, new LinkContext(settings.name(), settings.role(), settings.link(), transport, events));
		if (settings.role() != EndpointRole.CLIENT || settings.linkId() == null) {
			throw new IllegalArgumentException("Endpoint '" + settings.name() + "' needs role client and a link id");
		}
		if (settings.auth().certificateBinding()) {
			throw new IllegalArgumentException("Endpoint '" + settings.name() + "' is a client: the certificate binding "
					+ "is checked by servers; a client presents its certificate through its TLS settings");
		}
		if (settings.auth().isRequired()
				&& settings.auth().secretFor(settings.name(), Objects.requireNonNull(settings.linkId())) == null) {
			throw new IllegalArgumentException("Endpoint '" + settings.name() + "' authenticates but has no secret of at "
					+ "least " + Authentication.MIN_SECRET_LENGTH + " bytes for link '" + settings.linkId() + "'");
		}
		settings.protocol().validate(settings);
		this.errors = EndpointSupport.errorHandler(settings.name(), this.context);
		this.addresses = settings.addresses();
		this.bootstrap = new Bootstrap().group(transport.eventLoopGroup())
			.channel(transport.socketChannelType())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, BackPressureHandler.WATER_MARK)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.link().connectTimeout().toMillis());
		EndpointSupport.withKernelTimeouts(this.bootstrap, transport, settings.link());
	}

	/**
	 * Starts establishing the link in the background; {@link #request} may be called at once, and waits for the
	 * link (bounded by the request timeout) until an attempt to establish it has failed: from then on it fails at
	 * once, saying why, unless the link's {@code requestWhileDisconnected} setting is
	 * {@link dev.dualsocket.link.LinkSettings.WhileDisconnected#WAIT}.
	 */
	@Override
	public synchronized void start() {
		if (this.stopped) {
			// Started again after a stop (an instance that leads the endpoint again): a new link object, as at the
			// first start; the stopped one keeps its final state for whoever still holds it.
			this.stopped = false;
			this.link = null;
			this.probes++;
		}
		if (this.link == null) {
			logger.info("Endpoint '" + this.settings.name() + "' (client) connecting link '" + this.settings.linkId()
					+ "' to " + this.addresses.get(0) + ((this.settings.ssl() != null) ? " with TLS" : "")
					+ (this.settings.standby().isEmpty() ? "" : " (standby: " + this.settings.standby() + ")"));
			this.link = Link.client(this.context, Objects.requireNonNull(this.settings.linkId()), this);
			if (this.settings.failback().enabled() && hasStandby()) {
				scheduleFailbackProbe();
			}
		}
	}

	/**
	 * Closes the link in order: the peer is told, requests in flight get up to {@code drainTimeout} to finish.
	 * @param drainTimeout how long to wait for requests in flight
	 */
	@Override
	public synchronized void stop(Duration drainTimeout) {
		this.stopped = true;
		Link current = this.link;
		if (current != null) {
			EndpointSupport.closeLinks(this.settings.name(), List.of(current), drainTimeout);
		}
	}

	@Override
	public void connect(Link link, SocketRole socket, CompletionStage<?> cancelled) throws Exception {
		// An empty token opens a new session (the first connection of an establishment); the token the server handed
		// out for the session joins it (the second connection, and every re-connect of a socket).
		EndpointSettings.Address address = this.addresses.get(this.currentAddress);
		int port = this.settings.portFor(address, socket);
		Handshake handshake = new Handshake(link, socket, address);
		SslContext ssl = this.settings.ssl();
		WireProtocol protocol = this.settings.protocol();
		CompletableFuture<Channel> accepted = handshake.result;
		ChannelFuture connecting = this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {
			@Override
			protected void initChannel(Channel channel) {
				EndpointSupport.initPipeline(channel,
						(ssl != null) ? EndpointSupport.clientTls(ssl, channel, address.host(), port) : null,
						protocol, new ConnectionSetup(ClientEndpoint.this.settings, socket),
						protocol.newClientHandshake(handshake), ClientEndpoint.this.errors);
			}
		}).connect(remoteAddress(address, port));
		connecting.addListener((future) -> {
			if (!future.isSuccess()) {
				accepted.completeExceptionally(future.cause());
			}
		});
		Duration timeout = this.settings.link().connectTimeout();
		try {
			// Either the handshake is answered or the procedure is called off; a timeout bounds both.
			CompletableFuture.anyOf(accepted, cancelled.toCompletableFuture()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			if (!accepted.isDone()) {
				connecting.channel().close();
				throw new CancellationException("connecting the " + socket.label() + " socket to " + address
						+ " was called off");
			}
			accepted.get();
		}
		catch (TimeoutException ex) {
			connecting.channel().close();
			throw new ConnectTimeoutException("no handshake answer from " + address.host() + ":" + port + " within "
					+ timeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			connecting.channel().close();
			if (ex.getCause() instanceof HandshakeRejectedException rejected
					&& rejected.getReason() == HelloReject.Reason.STALE_EPOCH) {
				this.fenced.warn(() -> "Endpoint '" + getName() + "' is fenced off link '" + link.getId() + "' at "
						+ address + " with epoch " + handshake.epoch() + ": " + rejected.getMessage() + ". Another "
						+ "instance of this service leads the endpoint now; this one stays off the link (it tries again "
						+ "after its interval and stops when it no longer leads)", null);
			}
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (InterruptedException ex) {
			connecting.channel().close();
			throw ex;
		}
	}

	/**
	 * The address to connect to: an IP address (the usual case) as it is, so that the transport does not run its
	 * resolver for it on the I/O thread, a task of its own before the connect; a name unresolved, for the transport to
	 * resolve as ever.
	 */
	private static InetSocketAddress remoteAddress(EndpointSettings.Address address, int port) {
		InetAddress literal = NetUtil.createInetAddressFromIpAddressString(address.host());
		return (literal != null) ? new InetSocketAddress(literal, port)
				: InetSocketAddress.createUnresolved(address.host(), port);
	}

	/**
	 * The endpoint's side of one connection's handshake, whatever the protocol: attaches the accepted connection to
	 * its socket and completes {@link #result} with it, or with why not.
	 */
	private final class Handshake implements ClientHandshake {

		final CompletableFuture<Channel> result = new CompletableFuture<>();

		private final Link link;

		private final SocketRole socket;

		private final EndpointSettings.Address address;

		private final long sessionId;

		private final byte[] sessionToken;

		private final byte @Nullable [] secret;

		private final long epoch;

		Handshake(Link link, SocketRole socket, EndpointSettings.Address address) {
			this.link = link;
			this.socket = socket;
			this.address = address;
			this.sessionId = link.sessionId();
			this.sessionToken = link.sessionToken();
			this.secret = ClientEndpoint.this.settings.auth().secretFor(ClientEndpoint.this.settings.name(), link.getId());
			this.epoch = ClientEndpoint.this.context.fencingEpoch();
		}

		@Override
		public EndpointSettings endpoint() {
			return ClientEndpoint.this.settings;
		}

		@Override
		public String linkId() {
			return this.link.getId();
		}

		@Override
		public SocketRole socket() {
			return this.socket;
		}

		@Override
		public long sessionId() {
			return this.sessionId;
		}

		@Override
		public byte[] sessionToken() {
			return this.sessionToken.clone();
		}

		@Override
		public byte @Nullable [] secret() {
			return this.secret;
		}

		@Override
		public long epoch() {
			return this.epoch;
		}

		@Override
		public Duration timeout() {
			return ClientEndpoint.this.settings.link().connectTimeout();
		}

		@Override
		public void accepted(Channel channel, byte @Nullable [] token, long serverEpoch) {
			try {
				checkServerEpoch(this.address, serverEpoch);
				// A protocol without session tokens: the session's own stands for the server's, made at its first
				// connection, so that a connection of an ended session still cannot join a new one.
				byte[] joined = (token != null) ? token
						: (this.link.sessionToken().length > 0) ? this.link.sessionToken() : Authentication.nonce();
				this.link.attach(this.socket, channel, this.sessionId, joined);
				this.result.complete(channel);
			}
			catch (RuntimeException ex) {
				this.result.completeExceptionally(ex);
				throw ex;
			}
		}

		@Override
		public void failed(Throwable cause) {
			this.result.completeExceptionally(cause);
		}

	}

	@Override
	public boolean hasStandby() {
		return this.addresses.size() > 1;
	}

	@Override
	public void moveToNextAddress() {
		if (hasStandby()) {
			moveTo((this.currentAddress + 1) % this.addresses.size(), "the address it used was lost");
		}
	}

	@Override
	public @Nullable InetSocketAddress alternateAddress() {
		if (!hasStandby()) {
			return null;
		}
		EndpointSettings.Address next = this.addresses.get((this.currentAddress + 1) % this.addresses.size());
		return InetSocketAddress.createUnresolved(next.host(), next.port());
	}

	private void moveTo(int next, String why) {
		EndpointSettings.Address from = this.addresses.get(this.currentAddress);
		this.currentAddress = next;
		this.primarySince = NOT_ANSWERING;
		EndpointSettings.Address to = this.addresses.get(next);
		logger.info("Endpoint '" + getName() + "': moving link '" + this.settings.linkId() + "' to "
				+ ((next == 0) ? "its primary address " : "standby address ") + to + " (" + why + ")");
		this.context.publish(new AddressChangedEvent(getName(), Objects.requireNonNull(this.settings.linkId()),
				from.toString(), to.toString(), next == 0, why, Instant.now()));
	}

	/**
	 * Whether the link uses its primary address.
	 * @return {@code false} while it is on a standby address
	 */
	public boolean isOnPrimary() {
		return this.currentAddress == 0;
	}

	private void scheduleFailbackProbe() {
		int run = this.probes;
		if (!this.stopped) {
			this.context.transport()
				.timer()
				.newTimeout((timeout) -> {
					if (run == this.probes) {
						probePrimary();
					}
				}, this.settings.failback().probeInterval().toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Seed 004's failback: while on a standby address, connect to the primary (TCP only: it sends nothing and is
	 * closed at once); once it has answered every probe for {@code failback.stable-for} and the link has nothing in
	 * flight, move back and establish the link there.
	 */
	private void probePrimary() {
		if (this.stopped) {
			return;
		}
		if (isOnPrimary()) {
			this.primarySince = NOT_ANSWERING;
			scheduleFailbackProbe();
			return;
		}
		EndpointSettings.Address primary = this.addresses.get(0);
		this.bootstrap.clone().handler(new ChannelInboundHandlerAdapter()).connect(primary.host(), primary.port())
			.addListener((ChannelFuture connected) -> {
				if (connected.isSuccess()) {
					connected.channel().close();
					primaryAnswered();
				}
				else {
					this.primarySince = NOT_ANSWERING;
				}
				scheduleFailbackProbe();
			});
	}

	private void primaryAnswered() {
		long now = System.nanoTime();
		if (this.primarySince == NOT_ANSWERING) {
			this.primarySince = now;
		}
		Link current = this.link;
		if (current == null || isOnPrimary()
				|| now - this.primarySince < this.settings.failback().stableFor().toNanos()) {
			return;
		}
		// Only an idle link moves: nothing in flight or held either way, so nothing can be lost or run twice by the
		// move. A quiesced link runs nothing new, so it gets idle once what it runs has finished.
		if (current.getState().isUp() && current.isIdle()) {
			moveTo(0, "the primary answered for " + this.settings.failback().stableFor().toMillis() + " ms");
			current.reconnect();
		}
	}

	/**
	 * The address the client connects to now.
	 * @return the primary address, or the standby the link moved to
	 */
	public EndpointSettings.Address getCurrentAddress() {
		return this.addresses.get(this.currentAddress);
	}

	/**
	 * Refuses a server instance whose epoch is lower than one this client was accepted by: a paused former leader of
	 * the server's service that still listens (section 4.6 of the protocol).
	 */
	private void checkServerEpoch(EndpointSettings.Address address, long epoch) {
		long highest = this.highestServerEpoch.accumulateAndGet(epoch, Math::max);
		if (epoch < highest) {
			String why = "the server at " + address + " accepted link '" + this.settings.linkId() + "' at fencing epoch "
					+ epoch + ", below the " + highest + " another instance of its service accepted it at";
			this.fenced.warn(() -> "Endpoint '" + getName() + "': " + why + "; the connection is closed and the next "
					+ "address is tried", null);
			throw new UncheckedIOException(why, new IOException(why));
		}
	}

	@Override
	public EndpointRole getRole() {
		return EndpointRole.CLIENT;
	}

	@Override
	public CompletableFuture<byte[]> request(byte[] payload) {
		return requireLink().request(payload);
	}

	@Override
	public <T> CompletableFuture<T> request(Object payload, Class<T> responseType) {
		return requireLink().request(payload, responseType);
	}

	@Override
	public <T> CompletableFuture<T> request(String messageType, Object payload, Class<T> responseType) {
		return requireLink().request(messageType, payload, responseType);
	}

	private Link requireLink() {
		Link current = this.link;
		if (current == null) {
			throw new IllegalStateException("Endpoint '" + this.settings.name() + "' is not started");
		}
		return current;
	}

	@Override
	public Optional<DualSocketLink> findLink(String linkId) {
		Link current = this.link;
		return (current != null && current.getId().equals(linkId)) ? Optional.of(current) : Optional.empty();
	}

	@Override
	public Collection<DualSocketLink> links() {
		Link current = this.link;
		return (current != null) ? List.of(current) : List.of();
	}

	@Override
	public boolean isRunning() {
		Link current = this.link;
		return current != null && current.getState() != LinkState.CLOSED;
	}

}

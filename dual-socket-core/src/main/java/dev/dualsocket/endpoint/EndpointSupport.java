package dev.dualsocket.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import javax.net.ssl.SSLParameters;

import dev.dualsocket.Limit;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.event.ProtocolErrorEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.Link;
import dev.dualsocket.link.LinkContext;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.protocol.WireProtocol;
import dev.dualsocket.transport.ConnectionErrorHandler;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.TransportResources;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the client and the server endpoint do alike: build a connection's pipeline, report protocol errors, close
 * their links in order.
 */
final class EndpointSupport {

	private static final Log logger = LogFactory.getLog(EndpointSupport.class);

	/** Keepalive probes, a second apart, before the kernel gives a silent connection up. */
	private static final int KEEPALIVE_PROBES = 3;

	/**
	 * The kernel's help with silent peers, on epoll: {@code TCP_USER_TIMEOUT} from the heartbeat timeout, so that data
	 * the peer does not acknowledge fails the connection as fast as a missed heartbeat does, and TCP keepalive probes
	 * from the heartbeat timeout as the fallback for a connection with nothing to send. NIO keeps the system's
	 * keepalive timings.
	 * @param bootstrap a client's bootstrap
	 * @param transport the transport
	 * @param link the link settings
	 */
	static void withKernelTimeouts(Bootstrap bootstrap, TransportResources transport, LinkSettings link) {
		kernelTimeouts(transport, link, bootstrap::option);
	}

	/**
	 * The same for the connections a server accepts.
	 * @param bootstrap a server's bootstrap
	 * @param transport the transport
	 * @param link the link settings
	 */
	static void withKernelTimeouts(ServerBootstrap bootstrap, TransportResources transport, LinkSettings link) {
		kernelTimeouts(transport, link, bootstrap::childOption);
	}

	private static void kernelTimeouts(TransportResources transport, LinkSettings link,
			BiConsumer<ChannelOption<Integer>, Integer> option) {
		if (transport.isNativeTransport()) {
			option.accept(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis(link));
			option.accept(EpollChannelOption.TCP_KEEPIDLE, keepaliveIdleSeconds(link));
			option.accept(EpollChannelOption.TCP_KEEPINTVL, 1);
			option.accept(EpollChannelOption.TCP_KEEPCNT, KEEPALIVE_PROBES);
		}
	}

	private static int userTimeoutMillis(LinkSettings link) {
		return (int) Math.min(Integer.MAX_VALUE, link.heartbeatTimeout().toMillis());
	}

	private static int keepaliveIdleSeconds(LinkSettings link) {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, link.heartbeatTimeout().toSeconds()));
	}

	private EndpointSupport() {
	}

	/**
	 * The handler that closes a connection on any error, reporting protocol violations as events: each as a
	 * {@link ProtocolErrorEvent}, as ever, and one that went past a protocol bound also as a
	 * {@link LimitExceededEvent}, so that every limit is seen in one kind of event.
	 */
	static ConnectionErrorHandler errorHandler(String endpoint, LinkContext events) {
		return new ConnectionErrorHandler(endpoint, (channel, reason, limit) -> {
			String linkId = Connections.linkIdOf(channel);
			String remote = String.valueOf(channel.remoteAddress());
			Instant now = Instant.now();
			events.publish(new ProtocolErrorEvent(endpoint, linkId, remote, reason, now));
			if (limit != null) {
				events.publish(new LimitExceededEvent(endpoint, linkId, remote, limit, reason, now));
			}
		});
	}

	/**
	 * Publishes that a limit refused or closed a connection.
	 * @param linkId the link the connection asked for, or {@code null} if it had not said yet
	 */
	static void limitExceeded(LinkContext events, Channel channel, @Nullable String linkId, Limit limit,
			String message) {
		events.publish(new LimitExceededEvent(events.endpointName(), linkId, String.valueOf(channel.remoteAddress()),
				limit, message, Instant.now()));
	}

	/**
	 * The pipeline of a new connection: TLS if configured, the protocol's framing, its handshake, and the error handler
	 * last. The link adds its own handlers (heartbeat, dispatch) in front of the error handler once the handshake is
	 * accepted.
	 */
	static void initPipeline(Channel channel, @Nullable SslHandler tls, WireProtocol protocol, ConnectionSetup setup,
			ChannelHandler handshake, ConnectionErrorHandler errors) {
		if (tls != null) {
			channel.pipeline().addLast("tls", tls);
		}
		protocol.initConnection(channel, setup);
		channel.pipeline().addLast("handshake", handshake).addLast(ConnectionErrorHandler.NAME, errors);
	}

	/**
	 * Closes links in order: all stop taking requests and tell their peers at once, then in-flight requests get
	 * until the common deadline to finish, then every socket is closed.
	 */
	static void closeLinks(String endpoint, Collection<Link> links, Duration drainTimeout) {
		links.forEach(Link::beginClose);
		long deadline = System.nanoTime() + drainTimeout.toNanos();
		try {
			for (Link link : links) {
				if (!link.awaitDrained(deadline)) {
					logger.info("Endpoint '" + endpoint + "', link '" + link.getId() + "': requests still in flight after "
							+ drainTimeout.toMillis() + " ms; closing anyway");
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		links.forEach(Link::finishClose);
	}

	/**
	 * The TLS handler of a client connection, which checks that the server's certificate names the host connected to.
	 */
	static SslHandler clientTls(SslContext context, Channel channel, String host, int port) {
		SslHandler handler = context.newHandler(channel.alloc(), host, port);
		SSLParameters parameters = handler.engine().getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		handler.engine().setSSLParameters(parameters);
		return handler;
	}

	static IllegalArgumentException noSuchLink(String endpoint, String linkId, Collection<? extends DualSocketLink> links) {
		String known = links.stream().map(DualSocketLink::getId).sorted().collect(Collectors.joining(", "));
		return new IllegalArgumentException("Endpoint '" + endpoint + "' has no link '" + linkId + "'"
				+ (known.isEmpty() ? "; it has no links now" : "; its links are: " + known));
	}

}

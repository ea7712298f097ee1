package dev.dualsocket.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.tcp.connection.AbstractClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.AbstractConnectionFactory;
import org.springframework.integration.ip.tcp.connection.CachingClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;
import org.springframework.integration.ip.tcp.serializer.TcpCodecs;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;

/**
 * What a Spring user would pick instead: Spring Integration's TCP support, in one application context with
 * {@code @EnableIntegration}, flows registered at run time. Every connection factory is the default blocking
 * ({@code Net}) kind, with a 4-byte length-header serializer, TCP_NODELAY on (off by default, which would add
 * Nagle's delay) and no reverse DNS look-up. The server side answers with the request's own payload.
 */
public final class SpringIntegrationBed implements AutoCloseable {

	private static final long TIMEOUT_MS = 10_000;

	private final AnnotationConfigApplicationContext context;

	private final IntegrationFlowContext flows;

	private final AtomicLong names = new AtomicLong();

	public SpringIntegrationBed() {
		this.context = new AnnotationConfigApplicationContext(Config.class);
		this.flows = this.context.getBean(IntegrationFlowContext.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class Config {

	}

	private String name(String prefix) {
		return prefix + "-" + this.names.incrementAndGet();
	}

	private static <T extends AbstractConnectionFactory> T tune(T factory) {
		factory.setSerializer(TcpCodecs.lengthHeader4());
		factory.setDeserializer(TcpCodecs.lengthHeader4());
		factory.setSoTcpNoDelay(true);
		factory.setLookupHost(false);
		return factory;
	}

	private TcpNetServerConnectionFactory listeningServer(TcpNetServerConnectionFactory factory) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!factory.isListening()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Spring Integration server did not start listening");
			}
			DualSocketBed.sleep(1);
		}
		return factory;
	}

	/** A {@code TcpInboundGateway} that echoes; returns its port. */
	private int echoGatewayServer() {
		TcpNetServerConnectionFactory server = tune(new TcpNetServerConnectionFactory(0));
		IntegrationFlow flow = IntegrationFlow.from(Tcp.inboundGateway(server))
			.handle(byte[].class, (payload, headers) -> payload)
			.get();
		this.flows.registration(flow).id(name("si-gateway-server")).addBean(name("si-server-cf"), server).register();
		return listeningServer(server).getPort();
	}

	/**
	 * {@code TcpOutboundGateway} to {@code TcpInboundGateway}.
	 * @param cachedConnections 0 for one shared connection (the gateway lets one request at a time use it), else a
	 * {@code CachingClientConnectionFactory} of that many connections
	 * @return a call that sends a request and waits for its answer; safe for many threads
	 */
	public Load.SyncCall gateway(int cachedConnections, int payloadSize) {
		int port = echoGatewayServer();
		TcpNetClientConnectionFactory target = tune(new TcpNetClientConnectionFactory("127.0.0.1", port));
		AbstractClientConnectionFactory client = target;
		if (cachedConnections > 0) {
			target.setSingleUse(true);
			CachingClientConnectionFactory caching = new CachingClientConnectionFactory(target, cachedConnections);
			caching.setSoTcpNoDelay(true);
			client = caching;
		}
		else {
			target.setSingleUse(false);
		}
		AbstractClientConnectionFactory gatewayFactory = client;
		IntegrationFlow flow = (f) -> f.handle(Tcp.outboundGateway(gatewayFactory)
			.remoteTimeout(TIMEOUT_MS));
		IntegrationFlowContext.IntegrationFlowRegistrationBuilder builder = this.flows.registration(flow)
			.id(name("si-gateway-client"));
		if (client != target) {
			builder.addBean(name("si-target-cf"), target);
		}
		IntegrationFlowRegistration registration = builder.addBean(name("si-client-cf"), client).register();
		MessagingTemplate template = registration.getMessagingTemplate();
		template.setReceiveTimeout(TIMEOUT_MS);
		template.setSendTimeout(TIMEOUT_MS);
		byte[] payload = new byte[payloadSize];
		return () -> {
			Message<?> reply = template.sendAndReceive(MessageBuilder.withPayload(payload).build());
			if (reply == null || ((byte[]) reply.getPayload()).length != payloadSize) {
				throw new IllegalStateException("no answer");
			}
		};
	}

	/**
	 * Collaborating channel adapters on two sockets, Spring Integration's set-up closest to a dual-socket link: the
	 * client opens two connections to the server; requests go out through a {@code TcpSendingMessageHandler} on the
	 * first, the server's {@code TcpReceivingChannelAdapter} hands them to the echo handler, whose answers go back
	 * through the server's {@code TcpSendingMessageHandler} on the second connection to the client's
	 * {@code TcpReceivingChannelAdapter} (in client mode). Requests and answers are matched by an id the client puts
	 * in the payload; many requests may be in flight. (Spring Integration has no request/response correlation across
	 * adapters: this map of futures is what an application writes itself.)
	 * @return a call that sends a request and waits for its answer; safe for many threads
	 */
	public Load.SyncCall collaboratingAdapters(int payloadSize) {
		// Server: requests arrive on one factory, answers leave on another, to the client's second connection.
		TcpNetServerConnectionFactory requestsIn = tune(new TcpNetServerConnectionFactory(0));
		TcpNetServerConnectionFactory answersOut = tune(new TcpNetServerConnectionFactory(0));
		AtomicReference<String> answerConnection = new AtomicReference<>();
		IntegrationFlow serverFlow = IntegrationFlow.from(Tcp.inboundAdapter(requestsIn))
			.handle(byte[].class, (payload, headers) -> payload)
			.enrichHeaders((headers) -> headers.headerFunction(IpHeaders.CONNECTION_ID,
					(message) -> answerConnection.get(), true))
			.handle(Tcp.outboundAdapter(answersOut))
			.get();
		// A server factory accepts connections only with a listener: the answer connection's inbound adapter
		// (which would carry traffic the other way) receives nothing here.
		IntegrationFlow answerSocket = IntegrationFlow.from(Tcp.inboundAdapter(answersOut)).nullChannel();
		this.flows.registration(answerSocket)
			.id(name("si-adapters-answer-socket"))
			.addBean(name("si-answers-out"), answersOut)
			.register();
		this.flows.registration(serverFlow)
			.id(name("si-adapters-server"))
			.addBean(name("si-requests-in"), requestsIn)
			.register();
		listeningServer(requestsIn);
		listeningServer(answersOut);

		// Client: requests leave on one connection, answers arrive on the other.
		ConcurrentHashMap<Long, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
		TcpNetClientConnectionFactory requestsOut = tune(
				new TcpNetClientConnectionFactory("127.0.0.1", requestsIn.getPort()));
		TcpNetClientConnectionFactory answersIn = tune(
				new TcpNetClientConnectionFactory("127.0.0.1", answersOut.getPort()));
		requestsOut.setSingleUse(false);
		answersIn.setSingleUse(false);
		IntegrationFlow answers = IntegrationFlow.from(Tcp.inboundAdapter(answersIn).clientMode(true).retryInterval(100))
			.handle(byte[].class, (payload, headers) -> {
				CompletableFuture<byte[]> answer = waiting.remove(WireFrames.getLong(payload, 0));
				if (answer != null) {
					answer.complete(payload);
				}
				return null;
			})
			.get();
		this.flows.registration(answers).id(name("si-adapters-answers")).addBean(name("si-answers-in"), answersIn)
			.register();
		IntegrationFlow requests = (f) -> f.handle(Tcp.outboundAdapter(requestsOut));
		IntegrationFlowRegistration registration = this.flows.registration(requests)
			.id(name("si-adapters-requests"))
			.addBean(name("si-requests-out"), requestsOut)
			.register();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (answersOut.getOpenConnectionIds().isEmpty()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the client's answer connection did not open");
			}
			DualSocketBed.sleep(1);
		}
		answerConnection.set(onlyConnection(answersOut));
		MessagingTemplate template = registration.getMessagingTemplate();
		template.setSendTimeout(TIMEOUT_MS);
		AtomicLong ids = new AtomicLong();
		return () -> {
			long id = ids.incrementAndGet();
			byte[] payload = new byte[payloadSize];
			WireFrames.putLong(payload, 0, id);
			CompletableFuture<byte[]> answer = new CompletableFuture<>();
			waiting.put(id, answer);
			template.send(MessageBuilder.withPayload(payload).build());
			try {
				answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
			}
			finally {
				waiting.remove(id);
			}
		};
	}

	private static String onlyConnection(AbstractConnectionFactory factory) {
		List<String> ids = factory.getOpenConnectionIds();
		if (ids.size() != 1) {
			throw new IllegalStateException("expected one answer connection, found " + ids);
		}
		return ids.get(0);
	}

	@Override
	public void close() {
		this.context.close();
	}

}

package dev.dualsocket.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestHandler;
import dev.dualsocket.test.Sockets;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One trace across two services: a client application and a server application, each with its own
 * {@code ObservationRegistry} and its own OpenTelemetry tracer (Spring Boot's auto-configuration, spans kept in
 * memory), linked over real sockets on 127.0.0.1. Only the request's {@code traceparent} header field can carry the
 * client's span to the server.
 */
@SpringBootTest(classes = RequestTracingTests.ClientApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "dual-socket.observations.enabled=true", "dual-socket.endpoints.exchange.role=client",
				"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.link-id=orders-1",
				"dual-socket.defaults.reconnect.after-disconnect.interval=100ms" })
@DirtiesContext
class RequestTracingTests {

	private static final int SERVER_PORT = Sockets.freePort();

	private static final String[] TRACING = { "management.tracing.sampling.probability=1.0",
			"management.opentelemetry.tracing.export.schedule-delay=20ms", "spring.main.banner-mode=off" };

	private static ConfigurableApplicationContext server;

	@Autowired
	@Qualifier("exchange")
	DualSocketEndpoint exchange;

	@Autowired
	InMemorySpanExporter clientSpans;

	@Autowired
	MeterRegistry clientMeters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.exchange.port", () -> SERVER_PORT);
		for (String property : TRACING) {
			int equals = property.indexOf('=');
			registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
		}
	}

	@BeforeAll
	static void startServer() {
		server = new SpringApplicationBuilder(ServerApp.class).web(WebApplicationType.NONE)
			.properties(TRACING)
			.properties("dual-socket.observations.enabled=true", "dual-socket.endpoints.hub.role=server",
					"dual-socket.endpoints.hub.host=127.0.0.1", "dual-socket.endpoints.hub.port=" + SERVER_PORT)
			.run();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@BeforeEach
	void linkIsNormal() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.exchange.findLink("orders-1").map((link) -> link.getState() == LinkState.NORMAL)
				.orElse(false));
	}

	@Test
	void theServersSpanContinuesTheClientsTraceAsItsChild() throws Exception {
		String answer = this.exchange.request("quote", "ACME", String.class).get(5, TimeUnit.SECONDS);
		assertThat(answer).isEqualTo("ACME");

		SpanData client = awaitSpan(this.clientSpans, "exchange send", "quote");
		SpanData handled = awaitSpan(serverSpans(), "hub handle", "quote");

		assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(handled.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(handled.getTraceId()).isEqualTo(client.getTraceId());
		assertThat(handled.getParentSpanId()).isEqualTo(client.getSpanId());
		String traceParent = server.getBean(Handler.class).traceParents.get("quote");
		assertThat(traceParent).as("what went on the wire, PROTOCOL 2.1 field 0x0002")
			.startsWith("00-" + client.getTraceId() + "-" + client.getSpanId() + "-")
			.hasSize(55);
		assertThat(Integer.parseInt(traceParent.substring(53), 16) & 1).as("the sampled flag").isEqualTo(1);
		assertThat(attributes(client)).containsEntry("dualsocket.endpoint", "exchange")
			.containsEntry("dualsocket.role", "client")
			.containsEntry("dualsocket.message.type", "quote")
			.containsEntry("dualsocket.outcome", "success")
			.containsEntry("dualsocket.link.id", "orders-1")
			.hasEntrySatisfying("dualsocket.request.id", (id) -> assertThat(Long.parseLong(id)).isPositive());
		assertThat(attributes(handled)).containsEntry("dualsocket.endpoint", "hub")
			.containsEntry("dualsocket.role", "server")
			.containsEntry("dualsocket.outcome", "success")
			.containsEntry("dualsocket.link.id", "orders-1")
			.containsEntry("dualsocket.request.id", attributes(client).get("dualsocket.request.id"));
		// The same observation makes the timer: metrics and traces from one instrumentation.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.clientMeters.get("dualsocket.request.outbound")
				.tags("dualsocket.endpoint", "exchange", "dualsocket.message.type", "quote", "dualsocket.outcome",
						"success")
				.timer()
				.count()).isPositive());
	}

	@Test
	void aHandlerThatAnswersLaterIsObservedUntilItsStageCompletes() throws Exception {
		Handler handler = server.getBean(Handler.class);
		CompletableFuture<String> answer = this.exchange.request("later", "ACME", String.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> !handler.pending.isEmpty());
		assertThat(spansOf(serverSpans(), "hub handle", "later")).as("not ended while its stage is pending").isEmpty();
		long completedAt = System.currentTimeMillis();

		handler.pending.remove().complete("LATER".getBytes());

		assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("LATER");
		SpanData handled = awaitSpan(serverSpans(), "hub handle", "later");
		assertThat(TimeUnit.NANOSECONDS.toMillis(handled.getEndEpochNanos())).isGreaterThanOrEqualTo(completedAt);
		assertThat(handled.getTraceId()).isEqualTo(awaitSpan(this.clientSpans, "exchange send", "later").getTraceId());
	}

	@Test
	void aFailedHandlerEndsBothSpansAsErrors() {
		CompletableFuture<String> answer = this.exchange.request("fail", "ACME", String.class);

		assertThat(answer).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(RemoteRequestException.class);
		SpanData client = awaitSpan(this.clientSpans, "exchange send", "fail");
		SpanData handled = awaitSpan(serverSpans(), "hub handle", "fail");
		assertThat(attributes(client)).containsEntry("dualsocket.outcome", "error");
		assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(attributes(handled)).containsEntry("dualsocket.outcome", "error");
		assertThat(handled.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(handled.getParentSpanId()).isEqualTo(client.getSpanId());
	}

	private static InMemorySpanExporter serverSpans() {
		return server.getBean(InMemorySpanExporter.class);
	}

	private static SpanData awaitSpan(InMemorySpanExporter exporter, String name, String messageType) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> spansOf(exporter, name, messageType).stream().findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	private static List<SpanData> spansOf(InMemorySpanExporter exporter, String name, String messageType) {
		return exporter.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getName().equals(name))
			.filter((span) -> messageType
				.equals(span.getAttributes().get(AttributeKey.stringKey("dualsocket.message.type"))))
			.toList();
	}

	private static Map<String, String> attributes(SpanData span) {
		Map<String, String> attributes = new ConcurrentHashMap<>();
		span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
		return attributes;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

		@Bean
		InMemorySpanExporter clientSpans() {
			return InMemorySpanExporter.create();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ServerApp {

		@Bean
		InMemorySpanExporter serverSpans() {
			return InMemorySpanExporter.create();
		}

		@Bean
		Handler handler(@Qualifier("hub") DualSocketEndpoint hub) {
			Handler handler = new Handler();
			hub.setRequestHandler(handler);
			return handler;
		}

	}

	/**
	 * Echoes a request, records the traceparent it came with; answers "later" when the test says, fails "fail".
	 */
	static class Handler implements RequestHandler {

		final Map<String, String> traceParents = new ConcurrentHashMap<>();

		final Queue<CompletableFuture<byte[]>> pending = new ConcurrentLinkedQueue<>();

		@Override
		public byte[] handle(IncomingRequest request) {
			return request.payload();
		}

		@Override
		public CompletionStage<byte[]> handleAsync(IncomingRequest request) throws Exception {
			String type = String.valueOf(request.messageType());
			String traceParent = request.headers().traceParent();
			if (traceParent != null) {
				this.traceParents.put(type, traceParent);
			}
			if (type.equals("fail")) {
				throw new IllegalStateException("no quote for " + new String(request.payload()));
			}
			if (type.equals("later")) {
				CompletableFuture<byte[]> later = new CompletableFuture<>();
				this.pending.add(later);
				return later;
			}
			return RequestHandler.super.handleAsync(request);
		}

	}

}

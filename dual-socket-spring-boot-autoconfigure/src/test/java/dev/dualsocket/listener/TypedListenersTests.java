package dev.dualsocket.listener;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Several {@code @DualSocketListener} methods on one endpoint, each answering its message type (section 2.1 of the
 * protocol), from a Java peer and from a peer that writes the frames by hand; futures as return values; the error
 * handler; and the mistakes a user can make, each with the message the user gets.
 */
@ExtendWith(OutputCaptureExtension.class)
class TypedListenersTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class, JacksonAutoConfiguration.class));

	private final ApplicationContextRunner desk = this.runner.withUserConfiguration(Desk.class)
		.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0", "dual-socket.endpoints.typed.role=server",
				"dual-socket.endpoints.typed.host=127.0.0.1", "dual-socket.endpoints.typed.port=0");

	@Test
	void eachMessageTypeIsAnsweredByItsListenerFromAJavaPeer() {
		this.desk.run((server) -> withClientOf(server, "hub", (exchange) -> {
			assertThat(exchange.request(new QuoteRequest("ACME", 2), Quote.class).get(5, TimeUnit.SECONDS))
				.isEqualTo(new Quote("ACME", 200));
			assertThat(exchange.request("fill", new FillReport("ACME", 2), FillAck.class).get(5, TimeUnit.SECONDS))
				.isEqualTo(new FillAck("ACME", true));
			assertThat(exchange.request("hello", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("text: hello");
			// A type nobody answers goes to the default listener.
			assertThat(exchange.request("gossip", "psst", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("text: psst");
			// The error handler bean decides what a failing listener answers.
			assertThat(exchange.request("boom", "x", String.class).get(5, TimeUnit.SECONDS))
				.isEqualTo("fallback for request of type boom");
		}));
	}

	@Test
	void anEndpointWithoutADefaultListenerAnswersAnUnknownTypeNoHandlerListingItsTypes() {
		this.desk.run((server) -> withClientOf(server, "typed", (exchange) -> {
			assertThat(exchange.request(new QuoteRequest("ACME", 1), Quote.class).get(5, TimeUnit.SECONDS))
				.isEqualTo(new Quote("ACME", 100));
			assertThat(exchange.request("gossip", "psst", String.class)).failsWithin(5, TimeUnit.SECONDS)
				.withThrowableThat()
				.havingCause()
				.isInstanceOfSatisfying(RemoteRequestException.class, (failure) -> {
					assertThat(failure.getReason()).isEqualTo(RemoteRequestException.Reason.NO_HANDLER);
					assertThat(failure.getMessage())
						.isEqualTo("endpoint 'typed' has no listener for message type 'gossip'; its message types are "
								+ "[QuoteRequest, fill]");
				});
		}));
	}

	@Test
	void aPeerThatWritesTheFramesByHandGetsEachTypeAnsweredByItsListener() {
		this.desk.run((server) -> {
			int port = server.getBean(DualSocketEndpointRegistry.class)
				.find("hub")
				.map(ServerEndpoint.class::cast)
				.orElseThrow()
				.getLocalAddress()
				.getPort();
			long session = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
			try (RawConnection outbound = new RawConnection(port); RawConnection inbound = new RawConnection(port)) {
				outbound.writeHelloV2(1, session, "raw-1", new byte[0], null);
				byte[] token = outbound.readUntil(RawConnection.HELLO_ACCEPT).shortBytesAt(2);
				inbound.writeHelloV2(2, session, "raw-1", token, null);
				assertThat(inbound.readUntil(RawConnection.HELLO_ACCEPT).type()).isEqualTo(RawConnection.HELLO_ACCEPT);
				DualSocketEndpoint hub = server.getBean(DualSocketEndpointRegistry.class).find("hub").orElseThrow();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> hub.findLink("raw-1").map((l) -> l.getState() == LinkState.NORMAL).orElse(false));

				outbound.writeBytes(typedRequest(7, "QuoteRequest", "{\"symbol\":\"ACME\",\"quantity\":3}"));
				RawConnection.RawFrame quote = outbound.readUntil(RawConnection.RESPONSE);
				assertThat(quote.id()).isEqualTo(7);
				assertThat(new String(quote.payload(), UTF_8)).contains("\"symbol\":\"ACME\"").contains("\"price\":300");

				outbound.writeBytes(typedRequest(8, "fill", "{\"symbol\":\"ACME\",\"quantity\":3}"));
				RawConnection.RawFrame fill = outbound.readUntil(RawConnection.RESPONSE);
				assertThat(fill.id()).isEqualTo(8);
				assertThat(new String(fill.payload(), UTF_8)).contains("\"accepted\":true");

				outbound.writeFrame(RawConnection.REQUEST, 9, "plain".getBytes(UTF_8));
				assertThat(new String(outbound.readUntil(RawConnection.RESPONSE).payload(), UTF_8))
					.isEqualTo("text: plain");
			}
		});
	}

	@Test
	void aServerWithoutAListenerIsAWarningAtStartUp(CapturedOutput output) {
		this.runner
			.withPropertyValues("dual-socket.endpoints.lonely.role=server", "dual-socket.endpoints.lonely.host=127.0.0.1",
					"dual-socket.endpoints.lonely.port=0")
			.run((context) -> assertThat(output).contains("Endpoint 'lonely' is a server without a @DualSocketListener "
					+ "method or a request handler: every request its clients send will be answered NO_HANDLER"));
	}

	@Test
	void twoListenersForOneTypeFailStartUpInDescriptionAndActionForm(CapturedOutput output) {
		assertThatThrownBy(() -> new SpringApplicationBuilder(DuplicateApp.class).web(WebApplicationType.NONE)
			.properties("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
					"dual-socket.endpoints.hub.port=0")
			.run()
			.close()).isInstanceOf(DualSocketListenerException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:")
			.contains("Endpoint 'hub' has two listeners for message type 'QuoteRequest': DuplicateApp.first and "
					+ "DuplicateApp.second")
			.contains("Action:")
			.contains("Give one of them another type with @DualSocketListener(value = \"hub\", type = \"...\")")
			.doesNotContain("\tat dev.dualsocket.listener.");
	}

	@Test
	void aListenerForAnUnknownEndpointFailsStartUpInDescriptionAndActionForm(CapturedOutput output) {
		assertThatThrownBy(() -> new SpringApplicationBuilder(DuplicateApp.class).web(WebApplicationType.NONE)
			.run()
			.close()).isInstanceOf(DualSocketListenerException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("@DualSocketListener(\"hub\") on DuplicateApp.first names no endpoint; the endpoints are []")
			.contains("Action:")
			.contains("configure an endpoint 'hub' under dual-socket.endpoints.hub.");
	}

	private void withClientOf(org.springframework.context.ApplicationContext server, String endpoint,
			ThrowingConsumer<DualSocketEndpoint> test) {
		int port = server.getBean(DualSocketEndpointRegistry.class)
			.find(endpoint)
			.map(ServerEndpoint.class::cast)
			.orElseThrow()
			.getLocalAddress()
			.getPort();
		this.runner
			.withPropertyValues("dual-socket.endpoints.exchange.role=client", "dual-socket.endpoints.exchange.host=127.0.0.1",
					"dual-socket.endpoints.exchange.port=" + port, "dual-socket.endpoints.exchange.link-id=orders-1")
			.run((client) -> {
				DualSocketEndpoint exchange = client.getBean(DualSocketEndpointRegistry.class).find("exchange").orElseThrow();
				await().atMost(Duration.ofSeconds(10)).until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);
				test.accept(exchange);
			});
	}

	/** A REQUEST with the message type field (section 2.1), as a peer in another language writes it. */
	private static byte[] typedRequest(long id, String type, String json) {
		byte[] typeBytes = type.getBytes(UTF_8);
		byte[] payload = json.getBytes(UTF_8);
		int fields = 4 + typeBytes.length;
		ByteBuffer frame = ByteBuffer.allocate(4 + 10 + 2 + fields + payload.length);
		frame.putInt(10 + 2 + fields + payload.length).put((byte) RawConnection.REQUEST).put((byte) 0x01).putLong(id);
		frame.putShort((short) fields).putShort((short) 0x0001).putShort((short) typeBytes.length).put(typeBytes);
		frame.put(payload);
		return frame.array();
	}

	@FunctionalInterface
	interface ThrowingConsumer<T> {

		void accept(T value) throws Exception;

	}

	public record QuoteRequest(String symbol, int quantity) {
	}

	public record Quote(String symbol, int price) {
	}

	public record FillReport(String symbol, int quantity) {
	}

	public record FillAck(String symbol, boolean accepted) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Desk {

		@DualSocketListener("hub")
		Quote onQuote(QuoteRequest request) {
			return new Quote(request.symbol(), 100 * request.quantity());
		}

		@DualSocketListener(value = "hub", type = "fill")
		CompletableFuture<FillAck> onFill(FillReport fill) {
			return CompletableFuture.supplyAsync(() -> new FillAck(fill.symbol(), true));
		}

		@DualSocketListener("hub")
		String onText(String text) {
			return "text: " + text;
		}

		@DualSocketListener(value = "hub", type = "boom")
		String boom(String text) {
			throw new IllegalStateException("internal detail");
		}

		@DualSocketListener("typed")
		Quote typedQuote(QuoteRequest request) {
			return new Quote(request.symbol(), 100 * request.quantity());
		}

		@DualSocketListener(value = "typed", type = "fill")
		FillAck typedFill(FillReport fill) {
			return new FillAck(fill.symbol(), true);
		}

		@Bean
		DualSocketListenerErrorHandler fallbackErrors() {
			return (request, failure) -> {
				if ("boom".equals(request.messageType())) {
					return "fallback for request of type boom";
				}
				throw failure;
			};
		}

	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class DuplicateApp {

		@DualSocketListener("hub")
		Quote first(QuoteRequest request) {
			return new Quote(request.symbol(), 1);
		}

		@DualSocketListener("hub")
		Quote second(QuoteRequest request) {
			return new Quote(request.symbol(), 2);
		}

	}

}

package dev.dualsocket.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.IncomingRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @DualSocketListener} methods answer requests, with payloads converted both ways.
 */
class DualSocketListenerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class, JacksonAutoConfiguration.class));

	private final ApplicationContextRunner server = this.runner.withUserConfiguration(QuoteDesk.class)
		.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0");

	@Test
	void listenerMethodsAnswerTypedRequestsBothWays() {
		this.server.run((server) -> {
			int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
			this.runner.withUserConfiguration(Trader.class)
				.withPropertyValues("dual-socket.endpoints.exchange.role=client",
						"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
						"dual-socket.endpoints.exchange.link-id=orders-1")
				.run((client) -> {
					DualSocketEndpoint exchange = client.getBean(ClientEndpoint.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);

					Quote quote = exchange.request(new QuoteRequest("ACME", 3), Quote.class).get(5, TimeUnit.SECONDS);
					assertThat(quote).isEqualTo(new Quote("ACME", new BigDecimal("301.50"), "orders-1"));

					// The server asks the client over the other socket; the client's listener takes a String.
					String ack = server.getBean(ServerEndpoint.class)
						.link("orders-1")
						.request("fill 3 ACME", String.class)
						.get(5, TimeUnit.SECONDS);
					assertThat(ack).isEqualTo("ack: fill 3 ACME");
				});
		});
	}

	@Test
	void anExceptionInTheListenerReachesTheCallerAsARemoteErrorThatHidesItsText() {
		assertRemoteError(this.server, "the request failed on endpoint 'hub' (request 1); the reason is in that side's log");
	}

	@Test
	void anExceptionInTheListenerReachesTheCallerWithItsTypeAndMessageWhenExposed() {
		assertRemoteError(this.server.withPropertyValues("dual-socket.listener.expose-errors=true"),
				"IllegalArgumentException: unknown symbol NOPE");
	}

	private void assertRemoteError(ApplicationContextRunner serverRunner, String message) {
		serverRunner.run((server) -> {
			int port = server.getBean(ServerEndpoint.class).getLocalAddress().getPort();
			this.runner.withPropertyValues("dual-socket.endpoints.exchange.role=client",
					"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
					"dual-socket.endpoints.exchange.link-id=orders-1")
				.run((client) -> {
					DualSocketEndpoint exchange = client.getBean(ClientEndpoint.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);

					assertThat(exchange.request(new QuoteRequest("NOPE", 1), Quote.class)).failsWithin(5, TimeUnit.SECONDS)
						.withThrowableThat()
						.havingCause()
						.isInstanceOf(RemoteRequestException.class)
						.withMessage(message);
				});
		});
	}

	@Test
	void aListenerMarkedNonBlockingRunsOnTheIoThreadAndOneThatMayBlockOnTheHandlerPool() {
		this.runner.withUserConfiguration(ThreadReporter.class)
			.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
					"dual-socket.endpoints.hub.port=0", "dual-socket.endpoints.desk.role=server",
					"dual-socket.endpoints.desk.host=127.0.0.1", "dual-socket.endpoints.desk.port=0")
			.run((servers) -> {
				assertThat(servers).hasNotFailed();
				int hub = servers.getBean("hubDualSocketEndpoint", ServerEndpoint.class).getLocalAddress().getPort();
				int desk = servers.getBean("deskDualSocketEndpoint", ServerEndpoint.class).getLocalAddress().getPort();
				this.runner
					.withPropertyValues("dual-socket.endpoints.fast.role=client", "dual-socket.endpoints.fast.host=127.0.0.1",
							"dual-socket.endpoints.fast.port=" + hub, "dual-socket.endpoints.fast.link-id=fast-1",
							"dual-socket.endpoints.slow.role=client", "dual-socket.endpoints.slow.host=127.0.0.1",
							"dual-socket.endpoints.slow.port=" + desk, "dual-socket.endpoints.slow.link-id=slow-1")
					.run((clients) -> {
						DualSocketEndpoint fast = clients.getBean("fastDualSocketEndpoint", ClientEndpoint.class);
						DualSocketEndpoint slow = clients.getBean("slowDualSocketEndpoint", ClientEndpoint.class);
						await().atMost(Duration.ofSeconds(10))
							.until(() -> fast.link("fast-1").getState() == LinkState.NORMAL
									&& slow.link("slow-1").getState() == LinkState.NORMAL);

						assertThat(fast.request("which thread", String.class).get(5, TimeUnit.SECONDS))
							.startsWith("dual-socket-io");
						assertThat(slow.request("which thread", String.class).get(5, TimeUnit.SECONDS))
							.startsWith("dual-socket-handler");
					});
			});
	}

	@Test
	void aListenerForAnUnknownEndpointFailsStartupNamingIt() {
		this.runner.withUserConfiguration(QuoteDesk.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining(
					"@DualSocketListener(\"hub\") on QuoteDesk.onQuote names no endpoint; the endpoints are []");
		});
	}

	@Test
	void twoListenersForOneMessageTypeFailStartupNamingBoth() {
		this.server.withUserConfiguration(SecondDesk.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasMessageContaining("Endpoint 'hub' has two listeners for message type 'QuoteRequest'")
				.hasMessageContaining("QuoteDesk.onQuote")
				.hasMessageContaining("SecondDesk.alsoQuotes");
		});
	}

	public record QuoteRequest(String symbol, int quantity) {
	}

	public record Quote(String symbol, BigDecimal price, String linkId) {
	}

	@Configuration(proxyBeanMethods = false)
	static class QuoteDesk {

		@DualSocketListener("hub")
		Quote onQuote(QuoteRequest request, IncomingRequest incoming) {
			if (!List.of("ACME").contains(request.symbol())) {
				throw new IllegalArgumentException("unknown symbol " + request.symbol());
			}
			return new Quote(request.symbol(), new BigDecimal("100.50").multiply(BigDecimal.valueOf(request.quantity())),
					incoming.linkId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Trader {

		@DualSocketListener("exchange")
		String onFill(String fill) {
			return "ack: " + fill;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadReporter {

		@DualSocketListener(value = "hub", blocking = false)
		String onFast(String request) {
			return Thread.currentThread().getName();
		}

		@DualSocketListener("desk")
		String onSlow(String request) {
			return Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondDesk {

		@DualSocketListener("hub")
		String alsoQuotes(QuoteRequest request) {
			return request.symbol();
		}

	}

}

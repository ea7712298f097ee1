package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A paused application context (what Spring Framework 7's test context cache does to the contexts it keeps but does
 * not use) leaves the links up: the endpoints are not pauseable, so nothing is closed and established again.
 */
class PausedContextTests {

	@Test
	void pausingTheContextLeavesTheLinksUpAndRestartingItChangesNothing() throws Exception {
		int port = Sockets.freePort();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
					"dual-socket.endpoints.hub.port=" + port, "dual-socket.endpoints.exchange.role=client",
					"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
					"dual-socket.endpoints.exchange.link-id=orders-1")
			.run()) {
			DualSocketEndpoint exchange = context.getBean(DualSocketEndpointRegistry.class).find("exchange").orElseThrow();
			DualSocketLink link = exchange.link("orders-1");
			await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == LinkState.NORMAL);
			assertThat(context.getBean(DualSocketEndpointLifecycle.class).isPauseable()).isFalse();

			context.pause();

			assertThat(exchange.isRunning()).isTrue();
			assertThat(link.getState()).isEqualTo(LinkState.NORMAL);
			context.restart();
			assertThat(link.getState()).isEqualTo(LinkState.NORMAL);
			assertThat(link.snapshot().outbound().connects()).isOne();
			assertThat(link.snapshot().inbound().connects()).isOne();
		}
	}


	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

	}

}

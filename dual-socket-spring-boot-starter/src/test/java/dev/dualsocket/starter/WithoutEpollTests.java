package dev.dualsocket.starter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.listener.DualSocketListener;
import dev.dualsocket.transport.TransportResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * An application built against the starter alone, without the native epoll jar: it starts, links a client and a
 * server endpoint over NIO, answers a request, and says at start-up which transport it uses and how to get epoll.
 */
@ExtendWith(OutputCaptureExtension.class)
class WithoutEpollTests {

	@Test
	void theStarterBringsNoEpollAndAnApplicationRunsOnNio(CapturedOutput output) throws Exception {
		assertThat(ClassUtils.isPresent("io.netty.channel.epoll.Epoll", getClass().getClassLoader()))
			.as("the starter must not pull the native epoll transport").isFalse();
		int port = freePort();

		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run("--dual-socket.endpoints.hub.role=server", "--dual-socket.endpoints.hub.host=127.0.0.1",
					"--dual-socket.endpoints.hub.port=" + port, "--dual-socket.endpoints.exchange.role=client",
					"--dual-socket.endpoints.exchange.host=127.0.0.1", "--dual-socket.endpoints.exchange.port=" + port,
					"--dual-socket.endpoints.exchange.link-id=orders-1")) {
			DualSocketEndpoint exchange = app.getBean(DualSocketEndpointRegistry.class).find("exchange").orElseThrow();
			await().atMost(Duration.ofSeconds(10)).until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);

			assertThat(app.getBean(TransportResources.class).isNativeTransport()).isFalse();
			assertThat(exchange.request("ping".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
				.isEqualTo("hub:ping".getBytes(UTF_8));
			assertThat(output).contains("dual-socket transport: NIO (the native epoll transport is not on the class "
					+ "path; add io.netty:netty-transport-native-epoll:linux-");
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

		@Component
		static class Hub {

			@DualSocketListener("hub")
			byte[] answer(byte[] request) {
				return ("hub:" + new String(request, UTF_8)).getBytes(UTF_8);
			}

		}

	}

}

package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.test.Sockets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The README's smallest configuration starts as pasted: the client's and the server's YAML, read from the README
 * itself, make two applications whose link becomes {@code NORMAL}. Only the port is moved to a free one, so that the
 * test does not depend on 7800 being free.
 */
class ReadmeConfigurationTests {

	@Test
	void theSmallestConfigurationOfTheReadmeStartsAsPasted() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		String client = yamlAfter(readme, "The smallest configuration, which starts as pasted");
		String server = yamlAfter(readme, "and its server, in the other application");
		int port = Sockets.freePort();
		try (ConfigurableApplicationContext hub = start(server, "dual-socket.endpoints.hub.port", port);
				ConfigurableApplicationContext orders = start(client, "dual-socket.endpoints.exchange.port", port)) {
			DualSocketEndpoint exchange = orders.getBean(DualSocketEndpointRegistry.class).find("exchange").orElseThrow();
			await().atMost(Duration.ofSeconds(10)).until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);
			assertThat(hub.getBean(DualSocketEndpointRegistry.class).find("hub").orElseThrow().findLink("orders-1"))
				.isPresent();
		}
	}

	private static ConfigurableApplicationContext start(String yaml, String portProperty, int port) throws IOException {
		List<PropertySource<?>> pasted = new YamlPropertySourceLoader().load("README.md",
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).initializers((context) -> {
			pasted.forEach((source) -> context.getEnvironment().getPropertySources().addFirst(source));
			context.getEnvironment().getPropertySources()
				.addFirst(new MapPropertySource("free port", Map.of(portProperty, port)));
		}).run();
	}

	/** The first {@code yaml} block after the line that starts with the given text. */
	private static String yamlAfter(String readme, String line) {
		int at = readme.indexOf(line);
		assertThat(at).as("README line '%s'", line).isNotNegative();
		int start = readme.indexOf("```yaml\n", at) + "```yaml\n".length();
		return readme.substring(start, readme.indexOf("```", start));
	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

	}

}

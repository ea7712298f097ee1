package dev.dualsocket.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.link.DualSocketLink;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample with both profiles in one context, its link on a free port: requests round-trip both ways, and a socket
 * cut through {@code /demo/cut} is recovered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final int LINK_PORT = freePort();

	@DynamicPropertySource
	static void linkPort(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.desk.port", () -> LINK_PORT);
		registry.add("dual-socket.endpoints.exchange.port", () -> LINK_PORT);
	}

	@Autowired
	private ClientSide client;

	@Autowired
	private ServerSide server;

	@Autowired
	private DualSocketEndpointRegistry endpoints;

	@LocalServerPort
	private int httpPort;

	@Test
	void requestsRoundTripBothWaysAndACutSocketIsRecovered() throws Exception {
		await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
			assertThat(this.client.quotesReceived()).as("quotes the client received from the server").isPositive();
			assertThat(this.server.fillsAcknowledged()).as("fills the client acknowledged to the server").isPositive();
		});

		DualSocketLink link = this.endpoints.get("exchange").link("sample-1");
		int failuresBefore = link.snapshot().inbound().failures();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.httpPort + "/demo/cut?socket=inbound"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"cut\":\"inbound\"", "\"endpoint\":\"exchange\"", "\"link\":\"sample-1\"");

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(link.snapshot().inbound().failures()).isGreaterThan(failuresBefore));
		await().atMost(Duration.ofSeconds(5)).until(() -> link.getState() == LinkState.NORMAL);
		long quotes = this.client.quotesReceived();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.quotesReceived() > quotes);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Endpoints#boundPort} finds the port a server endpoint configured with port 0 listens on.
 */
class EndpointsTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void boundPortOfAServerOnPortZeroIsThePortClientsReachItOn() {
		ServerEndpoint server = this.bed.server("server", "127.0.0.1", 0, TestBed.FAST);

		int port = Endpoints.boundPort(server);

		assertThat(port).isPositive().isEqualTo(server.getLocalAddress().getPort());
		ClientEndpoint client = this.bed.client("client", "link-1", port, TestBed.FAST);
		LinkStates.awaitState(client.link("link-1"), LinkState.NORMAL, Duration.ofSeconds(5));
	}

	@Test
	void boundPortOfAClientIsRefused() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		ClientEndpoint client = this.bed.client("client", "link-1", Endpoints.boundPort(server), TestBed.FAST);

		assertThatIllegalArgumentException().isThrownBy(() -> Endpoints.boundPort(client))
			.withMessage("Endpoint 'client' is not a server endpoint and listens on no port of its own");
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's interface stays down longer than the server's {@code recovery.wait-timeout} while the client's
 * handlers run the server's requests. The server forgets the link; when the interface is back the client comes into a
 * new server link, whose request ids start at 1 again. The old handlers then finish: their replies belong to the
 * ended session and must never answer the new link's requests. Needs root and iproute2 (a veth pair this test
 * creates); skipped elsewhere with the reason.
 */
class InterfaceDownPastWaitTimeoutTests {

	private static final String ADDRESS = "10.213.80.1";

	private static final int REQUESTS = 6;

	private static final Duration BOUND = Duration.ofSeconds(15);

	private static final LinkSettings SERVER = TestBed.FAST.toBuilder()
		.recovery(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(10))
		.build();

	/**
	 * The client and server share this host, so a client attempt would reach the server even with the interface down
	 * and keep its link in a new session; waiting 3 s between attempts lets the server forget the link first, as it
	 * does when the client is really cut off.
	 */
	private static final LinkSettings CLIENT = TestBed.FAST.toBuilder()
		.afterDisconnect(true, Duration.ofSeconds(3), LinkSettings.AfterDisconnect.UNLIMITED)
		.build();

	/** The client's handler: the old session's requests and the new link's wait for their gates. */
	private final CountingHandler handler = new CountingHandler().gate("old-").gate("new-");

	private KernelFaults.VethPair veth;

	private TestBed bed;

	@BeforeEach
	void createInterface() {
		this.veth = KernelFaults.vethPairOrSkip("dsw", ADDRESS);
		this.bed = TestBed.pollingInterfacesEvery(Duration.ofMillis(100));
	}

	@AfterEach
	void removeInterface() throws IOException {
		this.handler.openAll();
		try {
			if (this.bed != null) {
				this.bed.close();
			}
		}
		finally {
			if (this.veth != null) {
				this.veth.close();
			}
		}
	}

	@Test
	void repliesOfTheOldSessionsHandlersNeverAnswerTheNewServerLink() throws Exception {
		ServerEndpoint server = this.bed.server("server", ADDRESS, 0, SERVER);
		ClientEndpoint client = this.bed.client("client", "flaky", ADDRESS, server.getLocalAddress().getPort(),
				CLIENT);
		client.setRequestHandler(this.handler);
		DualSocketLink oldLink = TestBed.awaitServerLink(server, "flaky");
		List<CompletableFuture<byte[]>> oldRequests = send(oldLink, "old");
		await().atMost(BOUND).until(() -> this.handler.ran("old-") == REQUESTS);

		this.veth.down();
		// Past wait-timeout: the server gives the link up and forgets it.
		await().atMost(BOUND).until(() -> server.findLink("flaky").isEmpty());
		this.veth.up();
		await().atMost(BOUND)
			.until(() -> server.findLink("flaky")
				.map((link) -> link != oldLink && link.getState() == LinkState.NORMAL)
				.orElse(false));
		DualSocketLink newLink = server.link("flaky");
		List<CompletableFuture<byte[]>> newRequests = send(newLink, "new");
		await().atMost(BOUND).until(() -> this.handler.ran("new-") == REQUESTS);

		// The old handlers answer now, while the new link's requests with the same ids are in flight.
		this.handler.open("old-");
		await().atMost(BOUND).until(() -> this.handler.passed("old-") == REQUESTS);
		assertThat(new String(newLink.request("ping".getBytes(UTF_8)).get(10, TimeUnit.SECONDS), UTF_8))
			.isEqualTo("answer:ping");
		this.handler.open("new-");

		for (int i = 0; i < REQUESTS; i++) {
			assertThat(new String(newRequests.get(i).get(10, TimeUnit.SECONDS), UTF_8)).isEqualTo("answer:new-" + i);
			assertThat(oldRequests.get(i)).failsWithin(BOUND)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(LinkDisconnectedException.class);
		}
		assertThat(this.handler.runs()).allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	private static List<CompletableFuture<byte[]>> send(DualSocketLink link, String prefix) {
		List<CompletableFuture<byte[]>> requests = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			requests.add(link.request((prefix + "-" + i).getBytes(UTF_8)));
		}
		return requests;
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.NetnsRouter;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Establishment over a path that loses SYNs: the client reaches the server through a router in a network namespace
 * this test creates, whose iptables drop SYNs. An attempt whose first socket is accepted and whose second is not has
 * opened a session on the server; nothing may have been sent in it, or the next attempt's session would run it again.
 * Needs root, iproute2 and iptables; skipped elsewhere with the reason.
 */
class SynLossEstablishmentTests {

	/** Below the kernel's first SYN retransmission (1 s), so a dropped SYN fails its attempt. */
	/** Requests wait through the failed attempts of the first establishment, which is what these tests look at. */
	private static final LinkSettings CLIENT = TestBed.FAST.toBuilder()
		.connectTimeout(Duration.ofMillis(300))
		.requestTimeout(Duration.ofSeconds(60))
		.afterDisconnect(true, Duration.ofMillis(50), LinkSettings.AfterDisconnect.UNLIMITED)
		.requestWhileDisconnected(LinkSettings.WhileDisconnected.WAIT)
		.build();

	private final CountingHandler handler = new CountingHandler();

	private NetnsRouter router;

	private TestBed bed;

	private ServerEndpoint server;

	@BeforeEach
	void createRouter() throws IOException {
		this.router = NetnsRouter.createOrSkip("dsr", "10.213.79");
		this.bed = new TestBed();
		this.server = this.bed.server("server", this.router.hostAddress(), 0, TestBed.FAST);
		this.server.setRequestHandler(this.handler);
		int port = this.server.getLocalAddress().getPort();
		this.router.forward(port, port);
	}

	@AfterEach
	void close() throws IOException {
		try {
			if (this.bed != null) {
				this.bed.close();
			}
		}
		finally {
			if (this.router != null) {
				this.router.close();
			}
		}
	}

	private ClientEndpoint client() {
		return this.bed.client("client", "syn-loss", this.router.routerAddress(),
				this.server.getLocalAddress().getPort(), CLIENT);
	}

	@Test
	void requestsWaitingWhileEveryAttemptFailsHalfWayRunOnceWhenTheLinkIsUp() throws Exception {
		// Two connections per attempt and every second SYN dropped: each attempt's first socket is accepted, its
		// second never connects.
		this.router.dropEverySecondSyn();
		ClientEndpoint client = client();
		List<CompletableFuture<byte[]>> requests = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			requests.add(client.request(("r-" + i).getBytes(UTF_8)));
		}

		await().atMost(Duration.ofSeconds(15))
			.until(() -> failedEstablishments() >= 4 && this.bed.events.ofType(SocketConnectedEvent.class, "server").size() >= 3);
		assertThat(client.link("syn-loss").getState()).isEqualTo(LinkState.CONNECTING);
		assertThat(this.handler.runs()).as("requests run in sessions that were never established").isEmpty();

		this.router.dropNothing();
		for (int i = 0; i < requests.size(); i++) {
			assertThat(new String(requests.get(i).get(20, TimeUnit.SECONDS), UTF_8)).isEqualTo("answer:r-" + i);
		}
		assertThat(this.handler.runs()).hasSize(50)
			.allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	@Test
	void repeatedEstablishmentsUnderRandomSynLossNeverRunARequestTwiceOrAnswerItWrongly() throws Exception {
		this.router.dropSyns(0.3);
		ClientEndpoint client = client();
		DualSocketLink link = client.link("syn-loss");
		Map<String, Object> outcomes = new ConcurrentHashMap<>();
		List<CompletableFuture<byte[]>> requests = new ArrayList<>();
		for (int round = 0; round < 5; round++) {
			for (int i = 0; i < 40; i++) {
				String payload = "round" + round + "-" + i;
				CompletableFuture<byte[]> request = link.request(payload.getBytes(UTF_8));
				request.whenComplete((bytes, failure) -> outcomes.put(payload,
						(failure == null) ? new String(bytes, UTF_8) : unwrap(failure)));
				requests.add(request);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> link.getState() == LinkState.NORMAL);
			link.reconnect();
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> requests.stream().allMatch(CompletableFuture::isDone));

		assertThat(outcomes).hasSize(200).allSatisfy((payload, outcome) -> {
			if (outcome instanceof String answer) {
				assertThat(answer).isEqualTo("answer:" + payload);
				assertThat(this.handler.runs()).containsKey(payload);
			}
			else {
				assertThat(outcome).as(payload)
					.isInstanceOfAny(LinkDisconnectedException.class, RequestTimeoutException.class,
							RemoteRequestException.class);
			}
		});
		assertThat(this.handler.runs()).allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	private long failedEstablishments() {
		return this.bed.events.ofType(ReconnectAttemptEvent.class, "client")
			.stream()
			.filter((attempt) -> attempt.getProcedure() == RecoveryProcedure.LINK_ESTABLISHMENT && attempt.getError() != null)
			.count();
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests and responses over a real link on 127.0.0.1, both ways at once.
 */
class RequestsBothWaysTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void tenThousandRequestsFromEightThreadsOnEachSideAreAllAnsweredWithTheRightPayload() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> ("server:" + new String(request.payload(), UTF_8)).getBytes(UTF_8));
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		client.setRequestHandler((request) -> ("client:" + new String(request.payload(), UTF_8)).getBytes(UTF_8));
		DualSocketLink clientLink = client.link("link-1");
		TestBed.awaitNormal(clientLink);
		DualSocketLink serverLink = TestBed.awaitServerLink(server, "link-1");

		ExecutorService callers = Executors.newFixedThreadPool(16);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> results = new ArrayList<>();
		for (int thread = 0; thread < 8; thread++) {
			results.add(callers.submit(() -> sendAndCheck(clientLink, "c", start, 1250, "server:")));
			results.add(callers.submit(() -> sendAndCheck(serverLink, "s", start, 1250, "client:")));
		}
		start.countDown();
		int answered = 0;
		for (Future<Integer> result : results) {
			answered += result.get(60, TimeUnit.SECONDS);
		}
		callers.shutdown();

		assertThat(answered).isEqualTo(2 * 8 * 1250);
		assertThat(clientLink.snapshot().requestsInFlight()).isZero();
		assertThat(serverLink.snapshot().requestsInFlight()).isZero();
	}

	private static int sendAndCheck(DualSocketLink link, String prefix, CountDownLatch start, int count,
			String answerPrefix) throws Exception {
		start.await();
		String thread = Thread.currentThread().getName();
		int answered = 0;
		for (int window = 0; window < count; window += 50) {
			List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
			List<String> sent = new ArrayList<>();
			for (int i = window; i < Math.min(count, window + 50); i++) {
				String payload = prefix + "-" + thread + "-" + i;
				sent.add(payload);
				inFlight.add(link.request(payload.getBytes(UTF_8)));
			}
			for (int i = 0; i < inFlight.size(); i++) {
				assertThat(new String(inFlight.get(i).get(10, TimeUnit.SECONDS), UTF_8))
					.isEqualTo(answerPrefix + sent.get(i));
				answered++;
			}
		}
		return answered;
	}

	@Test
	void handlerExceptionReachesTheCallerWithTheRemoteMessageAndLeavesNothingPending() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> {
			throw new IllegalStateException("no quote for " + new String(request.payload(), UTF_8));
		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);

		CompletableFuture<byte[]> response = link.request("ACME".getBytes(UTF_8));

		assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(RemoteRequestException.class)
			.hasMessage("IllegalStateException: no quote for ACME")
			.extracting((ex) -> ((RemoteRequestException) ex).getReason())
			.isEqualTo(RemoteRequestException.Reason.HANDLER_FAILED);
		assertThat(link.snapshot().requestsInFlight()).isZero();
	}

	@Test
	void requestWithoutReplyTimesOutAndLeavesNothingPending() throws Exception {
		LinkSettings shortTimeout = TestBed.FAST.toBuilder().requestTimeout(Duration.ofMillis(300)).build();
		ServerEndpoint server = this.bed.server("server", shortTimeout);
		CountDownLatch release = new CountDownLatch(1);
		server.setRequestHandler((request) -> {
			release.await();
			return request.payload();
		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), shortTimeout);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);

		CompletableFuture<byte[]> response = link.request("slow".getBytes(UTF_8));

		assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOf(RequestTimeoutException.class)
			.hasMessageContaining("within 300 ms");
		assertThat(link.snapshot().requestsInFlight()).isZero();
		release.countDown();
		// The late response finds nothing waiting for it and is dropped; the link carries on.
		server.setRequestHandler((request) -> request.payload());
		assertThat(link.request("next".getBytes(UTF_8)).get(5, TimeUnit.SECONDS)).isEqualTo("next".getBytes(UTF_8));
		await().atMost(Duration.ofSeconds(5)).until(() -> link.snapshot().requestsInFlight() == 0);
	}

	@Test
	void serverEndpointWithoutHandlerAnswersWithNoHandlerError() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		TestBed.awaitNormal(client.link("link-1"));

		assertThatThrownBy(() -> client.request(new byte[] { 1 }).get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOf(RemoteRequestException.class)
			.hasMessageContaining("has no request handler");
	}

	@Test
	void serverEndpointNeedsALinkIdToSendARequest() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);

		assertThatThrownBy(() -> server.request(new byte[0])).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("link(linkId)");
		assertThatThrownBy(() -> server.link("nope")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Endpoint 'server' has no link 'nope'; it has no links now");
	}

	@Test
	void withWaitARequestOnALinkThatNeverConnectsTimesOutSayingItWasNeverSent() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		ClientEndpoint client = this.bed.client("client", "nowhere", closedPort,
				TestBed.FAST.toBuilder()
					.requestTimeout(Duration.ofMillis(300))
					.requestWhileDisconnected(LinkSettings.WhileDisconnected.WAIT)
					.build());

		CompletableFuture<byte[]> response = client.request("lost?".getBytes(UTF_8));

		assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(RequestTimeoutException.class)
			.hasMessageStartingWith("Request 1 was never sent (the link was not established)");
	}

}

package dev.dualsocket.link;

import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.LinkState.RECOVERING;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.link.LinkSettings.AfterDisconnect;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.ProxiedLink;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request in flight on a socket that fails is sent again on the recovered socket under the same id, and the
 * receiver runs it at most once; a caller always gets its response or a clear exception.
 */
class NothingLostNothingTwiceTests {

	private final TestBed bed = new TestBed();

	private final AtomicInteger handlerRuns = new AtomicInteger();

	private final CountDownLatch handlerEntered = new CountDownLatch(1);

	private final CountDownLatch releaseHandler = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.releaseHandler.countDown();
		this.bed.close();
	}

	private void blockingHandler(ProxiedLink link) {
		link.server.setRequestHandler((request) -> {
			this.handlerRuns.incrementAndGet();
			this.handlerEntered.countDown();
			this.releaseHandler.await();
			return ("done:" + new String(request.payload(), UTF_8)).getBytes(UTF_8);
		});
	}

	@Test
	void requestStillRunningWhenItsSocketFailsIsSentAgainAndRunsOnce() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, TestBed.FAST, TestBed.FAST)) {
			blockingHandler(link);
			CompletableFuture<byte[]> response = link.clientLink.request("order-1".getBytes(UTF_8));
			assertThat(this.handlerEntered.await(5, TimeUnit.SECONDS)).isTrue();

			link.clientOutbound().cut();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> link.clientLink.snapshot().outbound().connects() == 2
						&& link.clientLink.getState() == LinkState.NORMAL);
			this.releaseHandler.countDown();

			assertThat(new String(response.get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("done:order-1");
			assertThat(this.handlerRuns).hasValue(1);
		}
	}

	@Test
	void responseLostWithItsSocketIsAnsweredFromTheCacheWithoutRunningTheHandlerAgain() throws Exception {
		try (ProxiedLink link = new ProxiedLink(this.bed, TestBed.FAST, TestBed.FAST)) {
			blockingHandler(link);
			CompletableFuture<byte[]> response = link.clientLink.request("order-2".getBytes(UTF_8));
			assertThat(this.handlerEntered.await(5, TimeUnit.SECONDS)).isTrue();

			// The response goes out on a connection that no longer delivers anything.
			link.clientOutbound().blackHole();
			this.releaseHandler.countDown();

			assertThat(new String(response.get(10, TimeUnit.SECONDS), UTF_8)).isEqualTo("done:order-2");
			assertThat(link.clientLink.snapshot().outbound().connects()).isEqualTo(2);
			assertThat(this.handlerRuns).hasValue(1);
		}
	}

	@Test
	void requestSentWhileRecoveringWaitsForTheSocketInsteadOfFailing() throws Exception {
		LinkSettings patient = TestBed.FAST.toBuilder()
			.reconnect(50, Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
			.build();
		try (ProxiedLink link = new ProxiedLink(this.bed, patient, TestBed.FAST)) {
			link.proxy.refuseNewConnections(true);
			link.clientOutbound().cut();
			await().atMost(Duration.ofSeconds(5)).until(() -> link.clientLink.getState() == RECOVERING);

			CompletableFuture<byte[]> response = link.clientLink.request("waits".getBytes(UTF_8));
			assertThat(response).isNotDone();
			link.proxy.refuseNewConnections(false);

			assertThat(new String(response.get(10, TimeUnit.SECONDS), UTF_8)).isEqualTo("waits");
		}
	}

	@Test
	void pendingRequestsFailAtOnceWhenTheLinkIsDisconnected() throws Exception {
		LinkSettings noReestablish = TestBed.FAST.toBuilder()
			.requestTimeout(Duration.ofSeconds(30))
			.afterDisconnect(false, Duration.ofSeconds(1), AfterDisconnect.UNLIMITED)
			.build();
		try (ProxiedLink link = new ProxiedLink(this.bed, noReestablish, TestBed.FAST)) {
			blockingHandler(link);
			CompletableFuture<byte[]> response = link.clientLink.request("doomed".getBytes(UTF_8));
			assertThat(this.handlerEntered.await(5, TimeUnit.SECONDS)).isTrue();
			FaultProxy.Connection inbound = link.clientInbound();
			link.proxy.refuseNewConnections(true);
			Instant cut = Instant.now();

			link.clientOutbound().cut();
			inbound.cut();

			await().atMost(Duration.ofSeconds(10)).until(response::isDone);
			assertThat(Duration.between(cut, Instant.now())).isLessThan(Duration.ofSeconds(10));
			assertThat(link.clientLink.getState()).isEqualTo(DISCONNECTED);
			assertThat(response).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(LinkDisconnectedException.class)
				.withMessageContaining("disconnected");
			assertThat(link.clientLink.snapshot().requestsInFlight()).isZero();
			// New requests on a disconnected link fail at once, too.
			assertThat(link.clientLink.request(new byte[0])).isCompletedExceptionally();
		}
	}

}

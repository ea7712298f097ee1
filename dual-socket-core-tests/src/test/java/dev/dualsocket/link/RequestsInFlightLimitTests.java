package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.dualsocket.Limit;
import dev.dualsocket.TooManyRequestsInFlightException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A caller that outruns the peer meets {@code max-requests-in-flight}: the request beyond it fails at once, unsent,
 * and the link takes requests again as soon as answers come back.
 */
class RequestsInFlightLimitTests {

	private final TestBed bed = new TestBed();

	private final CountingHandler handler = new CountingHandler().gate("held-");

	@AfterEach
	void close() {
		this.handler.openAll();
		this.bed.close();
	}

	@Test
	void requestBeyondTheLimitFailsAtOnceUnsentAndTheLinkGoesOn() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler(this.handler);
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(),
				TestBed.FAST.toBuilder().maxRequestsInFlight(3).build());
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		List<CompletableFuture<byte[]>> held = IntStream.range(0, 3)
			.mapToObj((i) -> link.request(("held-" + i).getBytes(UTF_8)))
			.toList();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.handler.ran("held-") == 3);

		CompletableFuture<byte[]> beyond = link.request("beyond".getBytes(UTF_8));

		assertThat(beyond).isCompletedExceptionally();
		assertThat(beyond).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(TooManyRequestsInFlightException.class)
			.withMessageContaining("already has 3 requests awaiting their answers (max-requests-in-flight)");
		assertThat(this.handler.runs()).doesNotContainKey("beyond");
		assertThat(this.bed.events.ofType(LimitExceededEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getEndpoint()).isEqualTo("client");
			assertThat(event.getLinkId()).isEqualTo("link-1");
			assertThat(event.getLimit()).isEqualTo(Limit.REQUESTS_IN_FLIGHT);
			assertThat(event.getRemoteAddress()).isNull();
			assertThat(event.getMessage()).contains("(max-requests-in-flight)");
		});

		this.handler.open("held-");
		for (CompletableFuture<byte[]> request : held) {
			assertThat(request.get(5, TimeUnit.SECONDS)).startsWith("answer:held-".getBytes(UTF_8));
		}
		assertThat(link.request("after".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
			.isEqualTo(CountingHandler.answerTo("after").getBytes(UTF_8));
		assertThat(link.getState()).isEqualTo(dev.dualsocket.LinkState.NORMAL);
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request header fields and handlers that answer later, over real sockets: the message type a caller names reaches the
 * peer's handler (section 2.1 of the protocol), a payload object's class names it by default, a handler may answer
 * through a future without holding a handler thread, and one that throws {@link RequestFailedException} tells the
 * peer exactly its text.
 */
class RequestHeadersTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void theMessageTypeReachesThePeersHandlerNamedOrFromThePayloadsClass() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> String.valueOf(request.messageType()).getBytes(UTF_8));
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		TestBed.awaitNormal(client.link("link-1"));

		assertThat(client.request("quote", "ACME", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("quote");
		assertThat(client.request("ACME", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("null");
		assertThat(new String(client.request("ACME".getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("null");
		assertThat(MessageTypes.of(new java.util.ArrayList<>())).isEqualTo("ArrayList");
		assertThat(client.request("quo\nte", "ACME", String.class)).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("control character");
		assertThatIllegalArgumentException().isThrownBy(() -> RequestHeaders.ofType(""));
	}

	@Test
	void aHandlerThatAnswersLaterHoldsNoThreadAndTheRequestStaysInFlightUntilItAnswers() throws Exception {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		CompletableFuture<byte[]> later = new CompletableFuture<>();
		server.setRequestHandler(new RequestHandler() {

			@Override
			public byte[] handle(IncomingRequest request) {
				throw new UnsupportedOperationException("answers through handleAsync");
			}

			@Override
			public CompletionStage<byte[]> handleAsync(IncomingRequest request) {
				return (new String(request.payload(), UTF_8).equals("later")) ? later
						: CompletableFuture.completedFuture(request.payload());
			}

		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		TestBed.awaitNormal(client.link("link-1"));
		Link serverLink = (Link) TestBed.awaitServerLink(server, "link-1");

		CompletableFuture<byte[]> waiting = client.request("later".getBytes(UTF_8));
		await().atMost(Duration.ofSeconds(5)).until(() -> !serverLink.isIdle());
		// Meanwhile the same handler answers other requests: the first one holds no handler thread.
		assertThat(new String(client.request("now".getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("now");
		assertThat(waiting).isNotDone();

		later.complete("done".getBytes(UTF_8));

		assertThat(new String(waiting.get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("done");
		await().atMost(Duration.ofSeconds(5)).until(serverLink::isIdle);
	}

	@Test
	void aRequestFailedExceptionTellsThePeerExactlyItsTextAndAnyOtherItsTypeAndMessage() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> {
			if (new String(request.payload(), UTF_8).equals("refused")) {
				throw new RequestFailedException(RemoteRequestException.Reason.NO_HANDLER, "no listener for 'x'");
			}
			throw new IllegalStateException("internal detail");
		});
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		TestBed.awaitNormal(client.link("link-1"));

		assertThat(client.request("refused".getBytes(UTF_8))).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(RemoteRequestException.class, (failure) -> {
				assertThat(failure.getReason()).isEqualTo(RemoteRequestException.Reason.NO_HANDLER);
				assertThat(failure.getMessage()).contains("no listener for 'x'").doesNotContain("RequestFailedException");
			});
		assertThat(client.request("other".getBytes(UTF_8))).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(RemoteRequestException.class,
					(failure) -> assertThat(failure.getMessage()).contains("IllegalStateException: internal detail"));
	}

}

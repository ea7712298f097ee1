package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a request handler runs: on the handler pool unless it declares that it never blocks
 * ({@link RequestHandler#nonBlocking}), then on the I/O thread that read the request.
 */
class NonBlockingHandlerTests {

	private final TestBed bed = new TestBed();

	/** The names of the threads the server's handler ran on. */
	private final Set<String> threads = ConcurrentHashMap.newKeySet();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void aHandlerRunsOnTheHandlerPoolByDefault() throws Exception {
		DualSocketLink link = linkTo((request) -> {
			this.threads.add(Thread.currentThread().getName());
			return request.payload();
		});

		assertThat(link.request("one".getBytes(UTF_8)).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("one");
		assertThat(this.threads).isNotEmpty().allMatch((name) -> name.startsWith("dual-socket-handler"));
	}

	@Test
	void aHandlerThatDeclaresItNeverBlocksRunsOnTheIoThreadAndAnswersEveryPipelinedRequestRightly() throws Exception {
		RequestHandler handler = RequestHandler.nonBlocking((request) -> {
			this.threads.add(Thread.currentThread().getName());
			return ("echo:" + new String(request.payload(), UTF_8)).getBytes(UTF_8);
		});
		assertThat(handler.isBlocking()).isFalse();
		DualSocketLink link = linkTo(handler);

		List<CompletableFuture<byte[]>> answers = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			answers.add(link.request(("r" + i).getBytes(UTF_8)));
		}
		for (int i = 0; i < answers.size(); i++) {
			assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("echo:r" + i);
		}
		assertThat(this.threads).isNotEmpty().allMatch((name) -> name.startsWith("dual-socket-io"));
		assertThat(link.snapshot().requestsInFlight()).isZero();
	}

	@Test
	void aNonBlockingHandlerThatAnswersLaterRunsOnTheIoThreadAndAnswersWhenItsStageCompletes() throws Exception {
		RequestHandler later = new RequestHandler() {

			@Override
			public byte[] handle(IncomingRequest request) {
				throw new AssertionError("handleAsync answers");
			}

			@Override
			public CompletionStage<byte[]> handleAsync(IncomingRequest request) {
				NonBlockingHandlerTests.this.threads.add(Thread.currentThread().getName());
				// Completed on another thread, as a non-blocking client library would.
				return CompletableFuture.supplyAsync(() -> ("later:" + new String(request.payload(), UTF_8))
					.getBytes(UTF_8));
			}

		};
		DualSocketLink link = linkTo(RequestHandler.nonBlocking(later));

		assertThat(link.request("x".getBytes(UTF_8)).get(10, TimeUnit.SECONDS)).asString(UTF_8).isEqualTo("later:x");
		assertThat(this.threads).isNotEmpty().allMatch((name) -> name.startsWith("dual-socket-io"));
	}

	private DualSocketLink linkTo(RequestHandler handler) {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler(handler);
		ClientEndpoint client = this.bed.client("client", "link-1", server.getLocalAddress().getPort(), TestBed.FAST);
		DualSocketLink link = client.link("link-1");
		TestBed.awaitNormal(link);
		return link;
	}

}

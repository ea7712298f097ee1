package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
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
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.JavaProcess;
import dev.dualsocket.test.PeerProcess;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer process crashes (SIGKILL) and comes back while this side's handlers are still running requests of the old
 * session, or while this side's requests are in flight. The restarted peer's request ids start at 1 again, so an answer
 * of the old session that reached the new one would complete the wrong request. Every case counts runs per request on
 * the receiver and outcomes per caller: nothing runs twice, no caller gets another request's answer, and every caller
 * is answered or failed clearly.
 */
class PeerRestartTests {

	private static final int REQUESTS = 6;

	private static final Duration BOUND = Duration.ofSeconds(20);

	private final TestBed bed = new TestBed();

	/**
	 * This side's handler: {@code slow-} requests (the old session's) and {@code held-} requests (the new one's)
	 * wait for their gate, so both are running at the moment the old ones answer.
	 */
	private final CountingHandler handler = new CountingHandler().gate("slow-").gate("held-");

	private final List<JavaProcess> peers = new ArrayList<>();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.closing) {
			resource.close();
		}
		this.handler.openAll();
		for (JavaProcess peer : this.peers) {
			peer.close();
		}
		this.bed.close();
	}

	private JavaProcess startPeer(String role, int port, String linkId) throws IOException {
		JavaProcess peer = PeerProcess.start(role, port, linkId);
		this.peers.add(peer);
		await().atMost(BOUND).until(() -> !peer.lines("READY").isEmpty());
		return peer;
	}

	@Test
	void repliesOfHandlersRunningAcrossAClientRestartNeverReachTheRestartedClient() throws Exception {
		ServerEndpoint server = this.bed.server("server", PeerProcess.SETTINGS);
		server.setRequestHandler(this.handler);
		int port = server.getLocalAddress().getPort();
		JavaProcess first = startPeer("client", port, "restarting");
		await().atMost(BOUND).until(() -> first.lines("STATE").contains("NORMAL"));
		first.command("send slow " + REQUESTS);
		await().atMost(BOUND).until(() -> this.handler.ran("slow-") == REQUESTS);

		first.kill();
		JavaProcess second = startPeer("client", port, "restarting");
		await().atMost(BOUND).until(() -> second.lines("STATE").contains("NORMAL"));
		assertOldHandlersNeverAnswerTheRestartedPeer(second);
	}

	@Test
	void repliesOfHandlersRunningAcrossAServerRestartNeverReachTheRestartedServer() throws Exception {
		int port = freePort();
		JavaProcess first = startPeer("server", port, "restarting");
		ClientEndpoint client = this.bed.client("client", "restarting", port, PeerProcess.SETTINGS);
		client.setRequestHandler(this.handler);
		DualSocketLink link = client.link("restarting");
		TestBed.awaitNormal(link);
		first.command("send slow " + REQUESTS);
		await().atMost(BOUND).until(() -> this.handler.ran("slow-") == REQUESTS);

		first.kill();
		await().atMost(BOUND).until(() -> this.bed.events.states("client").contains(LinkState.DISCONNECTED));
		JavaProcess second = startPeer("server", port, "restarting");
		await().atMost(BOUND).until(() -> second.lines("STATE").contains("NORMAL"));
		assertOldHandlersNeverAnswerTheRestartedPeer(second);
	}

	@Test
	void requestsInFlightWhenTheServerIsKilledAndBackWithinTheReconnectBudgetFailClearlyAndNeverRunAgain()
			throws Exception {
		int port = freePort();
		JavaProcess first = startPeer("server", port, "killed");
		FaultProxy proxy = new FaultProxy(port);
		this.closing.add(proxy);
		ClientEndpoint client = this.bed.client("client", "killed", proxy.port(), PeerProcess.SETTINGS);
		DualSocketLink link = client.link("killed");
		TestBed.awaitNormal(link);
		List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			inFlight.add(link.request(("slow-" + i).getBytes(UTF_8)));
		}
		await().atMost(BOUND).until(() -> first.lines("RAN").size() == REQUESTS);

		// The inbound socket hears nothing more, so its failure comes a heartbeat timeout late: the client is
		// re-connecting its outbound socket (Fig. 6) when the server comes back.
		Sockets.inboundOf(link, proxy).blackHole();
		first.kill();
		// Back on the same port well within the client's re-connect budget (20 attempts, up to 400 ms apart).
		JavaProcess second = startPeer("server", port, "killed");

		// The server no longer holds the session: the requests may have run, so they fail rather than run again.
		for (CompletableFuture<byte[]> request : inFlight) {
			assertThat(request).failsWithin(BOUND)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(LinkDisconnectedException.class);
		}
		await().atMost(BOUND).until(() -> link.getState() == LinkState.NORMAL);
		for (int i = 0; i < REQUESTS; i++) {
			String payload = "after-" + i;
			assertThat(new String(link.request(payload.getBytes(UTF_8)).get(BOUND.toSeconds(), TimeUnit.SECONDS), UTF_8))
				.isEqualTo("answer:" + payload);
		}
		// The peer reports a run before it answers, but its output reaches this JVM on a pipe of its own.
		await().atMost(BOUND).until(() -> second.lines("RAN").size() >= REQUESTS);
		assertThat(second.lines("RAN")).containsExactlyInAnyOrderElementsOf(ownPayloads("after", REQUESTS));
	}

	/**
	 * The restarted peer's requests 1..n are in flight while the old session's handlers, which ran its
	 * predecessor's requests 1..n, finish and answer; then its own are answered. Each of its callers must get its own
	 * answer, and nothing may have run twice.
	 */
	private void assertOldHandlersNeverAnswerTheRestartedPeer(JavaProcess restarted) {
		restarted.command("send held " + REQUESTS);
		await().atMost(BOUND).until(() -> this.handler.ran("held-") == REQUESTS);
		this.handler.open("slow-");
		await().atMost(BOUND).until(() -> this.handler.passed("slow-") == REQUESTS);
		// A round trip after the old handlers returned, so their replies, if any were sent, arrived first.
		restarted.command("send ping 1");
		await().atMost(BOUND).until(() -> restarted.lines("OK").contains("ping-0 answer:ping-0"));
		this.handler.open("held-");

		await().atMost(BOUND).until(() -> outcomes(restarted, "held-").size() == REQUESTS);
		assertThat(outcomes(restarted, "held-")).containsExactlyInAnyOrderElementsOf(ownAnswers("held", REQUESTS));
		assertThat(this.handler.runs()).allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
	}

	/** What a peer process reported for its requests with the given prefix: "OK payload answer" or "FAIL ...". */
	private static List<String> outcomes(JavaProcess peer, String prefix) {
		List<String> outcomes = new ArrayList<>();
		peer.lines("OK").stream().filter((line) -> line.startsWith(prefix)).forEach(outcomes::add);
		peer.lines("FAIL").stream().filter((line) -> line.startsWith(prefix)).map((line) -> "FAIL " + line)
			.forEach(outcomes::add);
		return outcomes;
	}

	private static List<String> ownAnswers(String prefix, int count) {
		return ownPayloads(prefix, count).stream().map((payload) -> payload + " answer:" + payload).toList();
	}

	private static List<String> ownPayloads(String prefix, int count) {
		List<String> payloads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			payloads.add(prefix + "-" + i);
		}
		return payloads;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

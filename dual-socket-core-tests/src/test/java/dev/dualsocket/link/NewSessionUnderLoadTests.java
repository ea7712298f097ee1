package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.Outcomes;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An authenticated new session for a live link id (the client restarted elsewhere, with the link's secret) ends the
 * client's session mid-load at once (section 4.4 of the protocol). The old client's re-connects name the ended
 * session, are answered {@code SESSION_ENDED}, and its requests in flight fail instead of being re-sent into the new
 * session: under load from several callers, nothing runs twice and no caller gets another request's answer.
 */
class NewSessionUnderLoadTests {

	private static final String SECRET = "a secret of the target link";

	private static final int CALLERS = 4;

	private static final int STRANGERS = 5;

	private final TestBed bed = new TestBed();

	private final CountingHandler handler = new CountingHandler();

	private final Outcomes outcomes = new Outcomes();

	private final AtomicBoolean loading = new AtomicBoolean(true);

	@AfterEach
	void close() {
		this.loading.set(false);
		this.bed.close();
	}

	@Test
	void authenticatedNewSessionEndsTheOldOneWithoutARunTwiceOrAWrongAnswer() throws Exception {
		ServerEndpoint server = this.bed.server(EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET)));
		server.setRequestHandler(this.handler);
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client(EndpointSettings.client("client", "127.0.0.1", port, "target", TestBed.FAST)
			.withAuth(LinkAuthentication.secret(SECRET)));
		DualSocketLink link = client.link("target");
		TestBed.awaitNormal(link);

		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (int caller = 0; caller < CALLERS; caller++) {
			int number = caller;
			callers.add(CompletableFuture.runAsync(() -> call(link, number)));
		}
		for (int stranger = 0; stranger < STRANGERS; stranger++) {
			int settled = this.outcomes.size();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.outcomes.size() > settled + 200);
			try (RawConnection raw = new RawConnection(port)) {
				RawConnection.RawFrame answer = raw.authenticate(1, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE),
						"target", new byte[0], SECRET.getBytes(UTF_8));
				assertThat(answer.type()).isEqualTo(RawConnection.HELLO_ACCEPT);
				assertThat(answer.shortBytesAt(2)).hasSize(16);
			}
			int disconnects = stranger + 1;
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.bed.events.states("client").stream().filter(LinkState.DISCONNECTED::equals).count()
						>= disconnects && link.getState() == LinkState.NORMAL);
		}
		this.loading.set(false);
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get();

		assertThat(this.handler.runs()).allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(1));
		this.outcomes.assertNoWrongAnswer();
		// The session really was ended under load: some callers were failed, and everything answered had run.
		assertThat(this.outcomes.anyDisconnected()).isTrue();
		assertThat(this.handler.runs()).containsKeys(this.outcomes.answeredPayloads().toArray(String[]::new));
	}

	/** One caller: up to 16 requests in flight, each with a payload of its own, until the load stops. */
	private void call(DualSocketLink link, int caller) {
		java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(16);
		for (int i = 0; this.loading.get(); i++) {
			String payload = "c" + caller + "-" + i;
			inFlight.acquireUninterruptibly();
			link.request(payload.getBytes(UTF_8)).whenComplete((bytes, failure) -> {
				if (failure == null) {
					this.outcomes.answered(payload, new String(bytes, UTF_8));
				}
				else {
					this.outcomes.failed(payload, failure);
				}
				inFlight.release();
			});
			if (link.getState() != LinkState.NORMAL) {
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
					.until(() -> !this.loading.get() || link.getState() == LinkState.NORMAL);
			}
		}
		inFlight.acquireUninterruptibly(16);
	}

}

package dev.dualsocket.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.FailureCause;
import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.SocketRole;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.FakePeer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Java client endpoint against the kit's {@link FakePeer}, over real sockets: the peer answers as scripted, and the
 * client sees each script as it would see a real server behaving so.
 */
class FakePeerTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	/** A short request timeout, so that a silenced request times out within the test. */
	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder().requestTimeout(Duration.ofMillis(400)).build();

	private final TestBed bed = new TestBed();

	private FakePeer peer;

	private DualSocketLink link;

	private final java.util.concurrent.atomic.AtomicInteger busyAnswers = new java.util.concurrent.atomic.AtomicInteger();

	@BeforeEach
	void connect() throws Exception {
		this.peer = FakePeer.start();
		this.peer.respond((request) -> switch (request.text()) {
			case "ping" -> Reply.answer("pong");
			case "lost" -> Reply.silence();
			case "slow" -> Reply.answer("late").after(Duration.ofMillis(300));
			case "stopping" -> Reply.error(RemoteRequestException.Reason.SHUTTING_DOWN, "try elsewhere");
			case "busy-twice" -> (this.busyAnswers.getAndIncrement() < 2)
					? Reply.error(RemoteRequestException.Reason.BUSY, "try later") : Reply.answer("done");
			case "boom" -> throw new IllegalStateException("scripted failure");
			default -> Reply.answer(request.payload());
		});
		this.link = this.bed.client("client", "fake-1", this.peer.port(), SETTINGS).link("fake-1");
		LinkStates.awaitState(this.link, LinkState.NORMAL, WAIT);
	}

	@AfterEach
	void close() throws Exception {
		this.bed.close();
		this.peer.close();
	}

	@Test
	void answersAsScriptedAndListsTheRequests() throws Exception {
		assertThat(ask("ping")).isEqualTo("pong");
		assertThat(ask("echo me")).isEqualTo("echo me");
		assertThat(this.peer.requests()).extracting(FakePeer.Request::text).containsExactly("ping", "echo me");
		assertThat(this.peer.requests()).allSatisfy((request) -> assertThat(request.linkId()).isEqualTo("fake-1"));
	}

	@Test
	void silenceTimesTheRequestOutAndLeavesTheLinkNormal() {
		CompletableFuture<byte[]> lost = this.link.request("lost".getBytes(UTF_8));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> lost.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(RequestTimeoutException.class);
		assertThat(this.link.getState()).isEqualTo(LinkState.NORMAL);
	}

	@Test
	void slowAnswerArrivesAfterItsDelay() throws Exception {
		long start = System.nanoTime();
		assertThat(ask("slow")).isEqualTo("late");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void errorAnswerFailsTheCallerWithItsReasonAndMessage() {
		assertRemoteFailure("stopping", RemoteRequestException.Reason.SHUTTING_DOWN, "try elsewhere");
	}

	@Test
	void busyAnswerIsSentAgainAsANewRequestUntilItIsAnswered() throws Exception {
		assertThat(ask("busy-twice")).isEqualTo("done");
		// Section 6.5: a request answered BUSY did not run; it goes out again with a new id, never the same one.
		assertThat(this.peer.requests()).filteredOn((request) -> request.text().equals("busy-twice"))
			.extracting(FakePeer.Request::id)
			.hasSize(3)
			.doesNotHaveDuplicates()
			.isSorted();
	}

	@Test
	void responderThatThrowsAnswersHandlerFailed() {
		assertRemoteFailure("boom", RemoteRequestException.Reason.HANDLER_FAILED, "scripted failure");
	}

	@Test
	void unansweredHeartbeatsFailThatSocketOnly() {
		this.peer.answerHeartbeats(SocketRole.OUTBOUND, false);
		await().atMost(WAIT).until(() -> this.link.snapshot().outbound().failures() > 0);
		assertThat(this.link.snapshot().outbound().lastFailure().cause()).isIn(FailureCause.HEARTBEAT_TIMEOUT,
				FailureCause.SILENCE);
		assertThat(this.link.snapshot().inbound().failures()).isZero();

		this.peer.answerHeartbeats(SocketRole.OUTBOUND, true);
		LinkStates.awaitState(this.link, LinkState.NORMAL, WAIT);
		assertThat(this.peer.connects(SocketRole.OUTBOUND)).isGreaterThanOrEqualTo(2);
		assertThat(this.peer.connects(SocketRole.INBOUND)).isOne();
	}

	@Test
	void cutSocketRejoinsTheSameSessionAndACopyIsAnsweredOnce() throws Exception {
		CompletableFuture<byte[]> slow = this.link.request("slow".getBytes(UTF_8));
		await().atMost(WAIT).until(() -> !this.peer.requests().isEmpty());

		this.peer.cut(SocketRole.OUTBOUND);

		assertThat(new String(slow.get(5, TimeUnit.SECONDS), UTF_8)).isEqualTo("late");
		LinkStates.awaitState(this.link, LinkState.NORMAL, WAIT);
		assertThat(this.peer.connects(SocketRole.OUTBOUND)).isEqualTo(2);
		assertThat(this.peer.requests()).extracting(FakePeer.Request::text).containsExactly("slow");
		assertThat(ask("ping")).isEqualTo("pong");
	}

	private void assertRemoteFailure(String payload, RemoteRequestException.Reason reason, String message) {
		CompletableFuture<byte[]> response = this.link.request(payload.getBytes(UTF_8));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> response.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(RemoteRequestException.class, (failure) -> {
				assertThat(failure.getReason()).isEqualTo(reason);
				assertThat(failure.getMessage()).contains(message);
			});
	}

	private String ask(String payload) throws Exception {
		return new String(this.link.request(payload.getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8);
	}

}

package dev.dualsocket.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A recovery storm: 200 client links to one server endpoint, and the kernel destroys every socket on the server's
 * port at once ({@code ss -K}, both ends of every connection) while requests flow. Every link returns to NORMAL on
 * both sides, no request is lost or run twice, and the library's threads stay within their pools. Only generous
 * bounds here; the speed of the storm is measured by the benchmark (scenario 6). Runs as root on Linux (as CI does);
 * skipped elsewhere with the reason.
 */
class RecoveryStormTests {

	private static final int LINKS = 200;

	private static final int THREAD_BUDGET = 32;

	/** Made before the test bed, so that its threads count. */
	private final ThreadCount threads = new ThreadCount();

	private final TestBed bed = new TestBed();

	private final ScheduledExecutorService load = Executors.newScheduledThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "storm-test-load");
		thread.setDaemon(true);
		return thread;
	});

	@AfterEach
	void close() {
		this.load.shutdownNow();
		this.bed.close();
	}

	@Test
	void everyLinkReturnsToNormalAfterEverySocketOnTheServersPortIsKilledAtOnce() throws Exception {
		Assumptions.assumeTrue(KernelFaults.available(), KernelFaults::unavailableReason);
		this.load.scheduleAtFixedRate(this.threads::sample, 0, 1, TimeUnit.MILLISECONDS);
		CountingHandler handler = new CountingHandler();
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler(handler);
		int port = server.getLocalAddress().getPort();
		List<DualSocketLink> links = new ArrayList<>();
		for (int i = 0; i < LINKS; i++) {
			ClientEndpoint client = this.bed.client("client-" + i, "link-" + i, port, TestBed.FAST);
			links.add(client.link("link-" + i));
		}
		// One wait for all (Awaitility waits a poll interval before its first look, so a wait per link adds up).
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> links.stream().allMatch((link) -> link.getState() == LinkState.NORMAL)
					&& server.links().size() == LINKS
					&& server.links().stream().allMatch((link) -> link.getState() == LinkState.NORMAL));
		Map<String, Integer> connectsBefore = links.stream()
			.collect(Collectors.toMap(DualSocketLink::getId, RecoveryStormTests::connects));
		Requests requests = new Requests(links);
		this.load.scheduleAtFixedRate(requests::sendOne, 0, 2, TimeUnit.MILLISECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> requests.answered() >= 50);

		int killed = KernelFaults.killAll(port);

		assertThat(killed).as("sockets destroyed").isGreaterThanOrEqualTo(LINKS * 2);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(notWhole(server, links, connectsBefore)).as("links not whole again")
				.isEmpty());
		long answeredAfterStorm = requests.answered();
		await().atMost(Duration.ofSeconds(10)).until(() -> requests.answered() >= answeredAfterStorm + 50);
		requests.stop();
		await().atMost(Duration.ofSeconds(30)).until(requests::allEnded);
		requests.assertNoneLostOrRunTwice(handler);
		assertEveryLinkAnswers(links);
		assertThat(this.threads.peak()).as("library threads at most, beyond those of earlier tests")
			.isLessThanOrEqualTo(THREAD_BUDGET);
	}

	/** Links that are not yet NORMAL on both sides with both client sockets connected anew since the kill. */
	private static List<String> notWhole(ServerEndpoint server, List<DualSocketLink> links,
			Map<String, Integer> connectsBefore) {
		List<String> waiting = new ArrayList<>();
		for (DualSocketLink link : links) {
			LinkSnapshot snapshot = link.snapshot();
			boolean reconnected = snapshot.outbound().connects() + snapshot.inbound().connects() >= connectsBefore
				.get(link.getId()) + 2;
			boolean serverNormal = server.findLink(link.getId())
				.map((serverLink) -> serverLink.getState() == LinkState.NORMAL)
				.orElse(false);
			if (snapshot.state() != LinkState.NORMAL || !reconnected || !serverNormal) {
				waiting.add(link.getId() + " " + snapshot.state());
			}
		}
		return waiting;
	}

	private static int connects(DualSocketLink link) {
		LinkSnapshot snapshot = link.snapshot();
		return snapshot.outbound().connects() + snapshot.inbound().connects();
	}

	private static void assertEveryLinkAnswers(List<DualSocketLink> links) throws Exception {
		List<CompletableFuture<byte[]>> answers = new ArrayList<>();
		for (DualSocketLink link : links) {
			answers.add(link.request(("after-" + link.getId()).getBytes(UTF_8)));
		}
		for (int i = 0; i < links.size(); i++) {
			assertThat(new String(answers.get(i).get(10, TimeUnit.SECONDS), UTF_8))
				.isEqualTo(CountingHandler.answerTo("after-" + links.get(i).getId()));
		}
	}

	/**
	 * A light load: one request every 2 ms, going round the links, each with its own payload; every request's
	 * outcome is kept.
	 */
	private static final class Requests {

		private final List<DualSocketLink> links;

		private final AtomicLong numbers = new AtomicLong();

		private final Map<String, CompletableFuture<byte[]>> sent = new ConcurrentHashMap<>();

		private final AtomicInteger answered = new AtomicInteger();

		private volatile boolean running = true;

		Requests(List<DualSocketLink> links) {
			this.links = links;
		}

		void sendOne() {
			if (!this.running) {
				return;
			}
			long number = this.numbers.incrementAndGet();
			DualSocketLink link = this.links.get((int) (number % this.links.size()));
			String payload = "storm-" + link.getId() + "-" + number;
			CompletableFuture<byte[]> answer;
			try {
				answer = link.request(payload.getBytes(UTF_8));
			}
			catch (RuntimeException ex) {
				answer = CompletableFuture.failedFuture(ex);
			}
			this.sent.put(payload, answer);
			answer.thenRun(this.answered::incrementAndGet);
		}

		long answered() {
			return this.answered.get();
		}

		void stop() {
			this.running = false;
		}

		boolean allEnded() {
			return this.sent.values().stream().allMatch(CompletableFuture::isDone);
		}

		/**
		 * Every request either failed with one of the library's exceptions for a request that may not have run, or
		 * ran once and got its own answer; none ran twice.
		 */
		void assertNoneLostOrRunTwice(CountingHandler handler) {
			List<String> lost = new ArrayList<>();
			List<String> unclear = new ArrayList<>();
			int failedClearly = 0;
			for (Map.Entry<String, CompletableFuture<byte[]>> request : this.sent.entrySet()) {
				String payload = request.getKey();
				CompletableFuture<byte[]> answer = request.getValue();
				if (answer.isCompletedExceptionally()) {
					Throwable failure = answer.handle((value, ex) -> ex).join();
					Throwable cause = (failure instanceof java.util.concurrent.CompletionException) ? failure.getCause()
							: failure;
					if (cause instanceof LinkDisconnectedException || cause instanceof RequestTimeoutException
							|| cause instanceof RemoteRequestException) {
						failedClearly++;
					}
					else {
						unclear.add(payload + ": " + cause);
					}
				}
				else {
					AtomicInteger runs = handler.runs().get(payload);
					String text = new String(answer.join(), UTF_8);
					if (runs == null || !text.equals(CountingHandler.answerTo(payload))) {
						lost.add(payload + " answered '" + text + "' after " + ((runs != null) ? runs.get() : 0) + " runs");
					}
				}
			}
			Set<String> ranTwice = handler.runs()
				.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().get() > 1)
				.map(Map.Entry::getKey)
				.collect(Collectors.toSet());
			assertThat(lost).as("requests answered without having run, or with another answer").isEmpty();
			assertThat(unclear).as("requests failed with an exception the library does not document").isEmpty();
			assertThat(ranTwice).as("requests run twice").isEmpty();
			assertThat(this.sent.size() - failedClearly).as("requests answered").isPositive();
		}

	}

	/**
	 * Counts the library's threads (named {@code dual-socket-*}) that were not already there when it was made, so
	 * that threads of earlier tests' transports, still winding down, do not count.
	 */
	private static final class ThreadCount {

		private final Set<Thread> before = Thread.getAllStackTraces().keySet();

		private final AtomicInteger peak = new AtomicInteger();

		void sample() {
			Thread[] all = new Thread[Thread.activeCount() + 64];
			int n = Thread.enumerate(all);
			int library = 0;
			for (int i = 0; i < n; i++) {
				if (all[i].getName().startsWith("dual-socket-") && !this.before.contains(all[i])) {
					library++;
				}
			}
			this.peak.accumulateAndGet(library, Math::max);
		}

		int peak() {
			return this.peak.get();
		}

	}

}

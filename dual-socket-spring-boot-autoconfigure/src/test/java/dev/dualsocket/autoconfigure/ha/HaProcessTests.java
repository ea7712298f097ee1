package dev.dualsocket.autoconfigure.ha;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.JavaProcess;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.test.TestDatabase;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Active/standby across JVMs (issue 13), with leadership and the shared store on a real PostgreSQL: two instances of
 * the same service in two processes, killed ({@code SIGKILL}) and paused ({@code SIGSTOP}) under load.
 */
class HaProcessTests {

	/** The instances' lock time-to-live (see {@link HaTestInstance}). */
	private static final Duration LOCK_TTL = Duration.ofSeconds(2);

	private static final String SECRET = "the secret of the exchange link, 32";

	private static final LinkSettings SETTINGS = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofMillis(600))
		.requestTimeout(Duration.ofSeconds(30))
		.afterDisconnect(true, Duration.ofMillis(50), LinkSettings.AfterDisconnect.UNLIMITED)
		.build();

	private final List<JavaProcess> instances = new ArrayList<>();

	private final String role = "ha-test-" + UUID.randomUUID();

	private final String linkId = "link-" + UUID.randomUUID();

	private TestDatabase database;

	private JdbcTemplate jdbc;

	private TransportResources transport;

	@BeforeEach
	void setUp() {
		this.database = TestDatabase.require();
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource(this.database.url(), this.database.user(),
				this.database.password()));
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS HA_RUNS (PAYLOAD VARCHAR(200) NOT NULL, PID VARCHAR(20) NOT NULL)");
		this.transport = TransportResources.create(TransportSettings.defaults());
	}

	@AfterEach
	void tearDown() throws Exception {
		for (JavaProcess instance : this.instances) {
			instance.close();
		}
		if (this.transport != null) { // null when skipped for want of a database
			this.transport.close();
		}
	}

	@Test
	void killingTheActiveServerHandsTheLinkToTheStandbyWithinTheLockTtlAndNoRequestRunsTwice() throws Exception {
		int[] ports = { Sockets.freePort(), Sockets.freePort() };
		JavaProcess first = instance("server", ports[0]);
		awaitPrinted(first, "@@leader", Duration.ofSeconds(60));
		JavaProcess second = instance("server", ports[1]);
		awaitPrinted(second, "@@ready", Duration.ofSeconds(60));
		assertThat(second.printed("@@leader")).isFalse();

		ClientEndpoint client = new ClientEndpoint(EndpointSettings.client("client", "127.0.0.1", ports[0], this.linkId,
				SETTINGS)
			.withStandby(List.of(new EndpointSettings.Address("127.0.0.1", ports[1])))
			.withAuth(LinkAuthentication.secret(SECRET)), this.transport, DualSocketEventListener.NONE);
		client.start();
		DualSocketLink link = client.link(this.linkId);
		await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == LinkState.NORMAL);

		Load load = new Load(link, 32);
		load.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> load.answered.get() > 200);

		long killed = System.nanoTime();
		first.kill();
		String standby = String.valueOf(second.pid());
		await().atMost(LOCK_TTL.plusSeconds(2)).until(() -> load.latestAnsweredFrom(standby) > killed);
		load.stop();

		assertThat(load.done()).succeedsWithin(Duration.ofSeconds(40));
		assertThat(load.wrong).isEmpty();
		assertThat(load.otherFailures).isEmpty();
		List<Map<String, Object>> twice = this.jdbc.queryForList(
				"SELECT PAYLOAD, COUNT(*) AS RUNS FROM HA_RUNS WHERE PAYLOAD LIKE ? GROUP BY PAYLOAD HAVING COUNT(*) > 1",
				load.prefix + "%");
		assertThat(twice).isEmpty();
		assertThat(load.answered.get()).isGreaterThan(200);
		client.stop(Duration.ofSeconds(1));
	}

	@Test
	void aPausedFormerClientLeaderThatResumesIsFencedAndTheNewLeaderKeepsTheLink() throws Exception {
		ServerEndpoint server = new ServerEndpoint(EndpointSettings.server("server", "127.0.0.1", 0, SETTINGS)
			.withAuth(LinkAuthentication.secret(SECRET)), this.transport, DualSocketEventListener.NONE);
		server.setRequestHandler((request) -> request.payload());
		server.start();
		try {
			int port = server.getLocalAddress().getPort();
			JavaProcess former = instance("client", port);
			awaitPrinted(former, "@@state NORMAL", Duration.ofSeconds(60));
			JavaProcess next = instance("client", port);
			awaitPrinted(next, "@@ready", Duration.ofSeconds(60));

			former.suspend();
			long paused = System.nanoTime();
			awaitPrinted(next, "@@state NORMAL", LOCK_TTL.plusSeconds(2));
			assertThat(Duration.ofNanos(System.nanoTime() - paused)).isLessThan(LOCK_TTL.plusSeconds(2));
			DualSocketLink serverLink = server.link(this.linkId);
			assertThat(new String(serverLink.request("who".getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8))
				.isEqualTo(next.pid() + ":who");

			former.resume();
			// It wakes up believing it leads: its link tries the server again with its old epoch, and is refused.
			awaitPrinted(former, "is fenced off link '" + this.linkId + "'", Duration.ofSeconds(10));
			awaitPrinted(former, "@@revoked", Duration.ofSeconds(10));
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
				.until(() -> serverLink.getState() == LinkState.NORMAL);
			assertThat(new String(serverLink.request("who".getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8))
				.isEqualTo(next.pid() + ":who");
		}
		finally {
			server.stop(Duration.ZERO);
		}
	}

	private JavaProcess instance(String endpointRole, int port) throws Exception {
		JavaProcess instance = JavaProcess.start(HaTestInstance.class, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
				List.of(endpointRole, String.valueOf(port), this.linkId, this.role, this.database.url(),
						this.database.user(), this.database.password(), SECRET),
				true);
		this.instances.add(instance);
		return instance;
	}

	private static void awaitPrinted(JavaProcess process, String text, Duration within) {
		await().atMost(within).until(() -> process.printed(text) || !process.isAlive());
		assertThat(process.printed(text)).as("%s printed %s; its output:%n%s", process.pid(), text,
				String.join("\n", process.lines())).isTrue();
	}

	/**
	 * Keeps a window of requests in flight on a link, each with its own payload, and checks every answer against it.
	 */
	private static final class Load {

		final String prefix = "load-" + UUID.randomUUID() + "-";

		final AtomicLong answered = new AtomicLong();

		final List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();

		final List<Throwable> otherFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

		final AtomicInteger inDoubt = new AtomicInteger();

		private final DualSocketLink link;

		private final int window;

		private final AtomicLong sequence = new AtomicLong();

		private final AtomicBoolean running = new AtomicBoolean(true);

		/** Per answering instance, when the latest request it answered was sent. */
		private final Map<String, AtomicLong> latestAnswered = new ConcurrentHashMap<>();

		private final AtomicInteger outstanding = new AtomicInteger();

		private final CompletableFuture<Void> drained = new CompletableFuture<>();

		Load(DualSocketLink link, int window) {
			this.link = link;
			this.window = window;
		}

		void start() {
			for (int i = 0; i < this.window; i++) {
				next();
			}
		}

		/** Each answer sends the next request, until stopped: a steady window without a timer. */
		private void next() {
			if (!this.running.get()) {
				if (this.outstanding.get() == 0) {
					this.drained.complete(null);
				}
				return;
			}
			this.outstanding.incrementAndGet();
			String payload = this.prefix + this.sequence.incrementAndGet();
			long sent = System.nanoTime();
			CompletableFuture<byte[]> request;
			try {
				request = this.link.request(payload.getBytes(UTF_8));
			}
			catch (RuntimeException ex) {
				request = CompletableFuture.failedFuture(ex);
			}
			request.whenComplete((response, failure) -> {
				if (failure == null) {
					String answer = new String(response, UTF_8);
					String pid = answer.substring(0, answer.indexOf(':'));
					if (!answer.endsWith(":" + payload)) {
						this.wrong.add(payload + " -> " + answer);
					}
					this.answered.incrementAndGet();
					this.latestAnswered.computeIfAbsent(pid, (key) -> new AtomicLong())
						.accumulateAndGet(sent, Math::max);
				}
				else if (unwrapped(failure) instanceof RemoteRequestException remote
						&& remote.getReason() == RemoteRequestException.Reason.DUPLICATE_EXPIRED) {
					// It ran on the killed instance, which never stored its answer: in doubt, not run again.
					this.inDoubt.incrementAndGet();
				}
				else {
					this.otherFailures.add(failure);
				}
				this.outstanding.decrementAndGet();
				next();
			});
		}

		private static Throwable unwrapped(Throwable failure) {
			return (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
		}

		/** When the latest request that the given instance answered was sent; 0 if none yet. */
		long latestAnsweredFrom(String pid) {
			AtomicLong latest = this.latestAnswered.get(pid);
			return (latest != null) ? latest.get() : 0;
		}

		void stop() {
			this.running.set(false);
			if (this.outstanding.get() == 0) {
				this.drained.complete(null);
			}
		}

		CompletableFuture<Void> done() {
			return this.drained;
		}

	}

}

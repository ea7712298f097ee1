package dev.dualsocket.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.autoconfigure.ha.LeadershipGrantedEvent;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.listener.DualSocketListener;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;

/**
 * Seed 003/004 across instances: two JVMs run the same server endpoint with {@code ha} on, leadership through a
 * {@code JdbcLockRegistry} on PostgreSQL, and a shared store of served requests; a client in this JVM lists both as
 * its addresses and keeps sending requests. The leader is killed ({@code SIGKILL}) again and again; each time the
 * takeover is timed from the kill to the first request that the other instance answers, and the killed one is
 * started again as the new standby. Needs a PostgreSQL: {@code TEST_POSTGRES_URL} (and {@code _USER},
 * {@code _PASSWORD}), as {@code .ci/run} sets up.
 */
final class TakeoverScenario {

	/** The lock's time-to-live: the standby can only take over once the dead leader's lock row expired. */
	static final Duration LOCK_TTL = Duration.ofSeconds(2);

	static final String ROLE = "bench-takeover";

	/** Why the requests that failed otherwise failed, for the report. */
	static final Map<String, Long> FAILURES = new java.util.concurrent.ConcurrentHashMap<>();

	private TakeoverScenario() {
	}

	/**
	 * What the kills measured.
	 *
	 * @param available why the scenario could not run, or {@code null}
	 * @param takeovers from each kill to the first answer of the other instance, in nanoseconds
	 * @param requests requests sent
	 * @param answered answered with a response
	 * @param inDoubt answered DUPLICATE_EXPIRED (they ran on the killed leader, which never stored their answer)
	 * @param failed failed otherwise
	 */
	record Result(String available, List<Long> takeovers, long requests, long answered, long inDoubt, long failed) {

		double percentile(double p) {
			List<Long> sorted = this.takeovers.stream().sorted(Comparator.naturalOrder()).toList();
			int index = (int) Math.ceil(p * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
		}

		List<Row> rows() {
			if (this.available != null || this.takeovers.isEmpty()) {
				return List.of();
			}
			return List.of(new Row("7 Takeover", "kill -9 the leader of two instances (lock TTL " + LOCK_TTL.toMillis()
					+ " ms), " + this.takeovers.size() + " kills", null,
					new Spread(percentile(0.5), percentile(0.0), percentile(1.0), this.takeovers.size()),
					new Spread(percentile(0.99), percentile(0.99), percentile(0.99), 1),
					String.format(Locale.ROOT, "%,d requests: %,d answered, %,d in doubt (DUPLICATE_EXPIRED), %,d failed",
							this.requests, this.answered, this.inDoubt, this.failed), ""));
		}

	}

	static Result run(Profile profile, PrintStream progress) throws Exception {
		Map<String, String> env = System.getenv();
		String url = env.get("TEST_POSTGRES_URL");
		if (url == null) {
			String why = "no PostgreSQL: set TEST_POSTGRES_URL (and _USER, _PASSWORD), as .ci/run does";
			progress.println("  " + why + "; skipped");
			return new Result(why, List.of(), 0, 0, 0, 0);
		}
		List<String> database = List.of(url, env.getOrDefault("TEST_POSTGRES_USER", "postgres"),
				env.getOrDefault("TEST_POSTGRES_PASSWORD", ""));
		int[] ports = { Sockets.freePort(), Sockets.freePort() };
		Children.Child[] instances = new Children.Child[2];
		List<Long> takeovers = new ArrayList<>();
		AtomicLong requests = new AtomicLong();
		AtomicLong answered = new AtomicLong();
		AtomicLong inDoubt = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		LinkSettings settings = LinkSettings.builder()
			.heartbeat(Duration.ofMillis(200), Duration.ofMillis(600))
			.afterDisconnect(true, Duration.ofMillis(50), LinkSettings.AfterDisconnect.UNLIMITED)
			// A client of an active/standby service holds its requests across the takeover instead of failing them.
			.requestWhileDisconnected(LinkSettings.WhileDisconnected.WAIT)
			.build();
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults())) {
			instances[0] = startInstance(ports[0], database, profile);
			instances[0].awaitLine("@@leader", Duration.ofSeconds(60));
			instances[1] = startInstance(ports[1], database, profile);
			instances[1].awaitLine("@@ready", Duration.ofSeconds(60));
			ClientEndpoint client = new ClientEndpoint(EndpointSettings.client("takeover", "127.0.0.1", ports[0],
					"bench", settings).withStandby(List.of(new EndpointSettings.Address("127.0.0.1", ports[1]))),
					transport, DualSocketEventListener.NONE);
			client.start();
			DualSocketLink link = client.link("bench");
			awaitNormal(link, Duration.ofSeconds(30));
			ConcurrentLinkedQueue<CompletableFuture<byte[]>> inFlight = new ConcurrentLinkedQueue<>();
			int leader = 0;
			int kills = profile.isQuick() ? 5 : 20;
			for (int kill = 0; kill < kills; kill++) {
				// A steady load across the kill: the requests in flight when it comes are re-sent to the new leader.
				for (int i = 0; i < 200; i++) {
					inFlight.add(send(link, requests, answered, inDoubt, failed));
				}
				long killed = System.nanoTime();
				instances[leader].destroy();
				instances[leader].process.waitFor(10, TimeUnit.SECONDS);
				long firstAnswer = firstAnswerAfter(link, killed, requests, answered, inDoubt, failed, inFlight);
				takeovers.add(firstAnswer - killed);
				progress.printf(Locale.ROOT, "  kill %d: the other instance answered after %s%n", kill + 1,
						Report.duration(firstAnswer - killed));
				instances[leader] = startInstance(ports[leader], database, profile);
				instances[leader].awaitLine("@@ready", Duration.ofSeconds(60));
				leader = 1 - leader;
			}
			for (CompletableFuture<byte[]> request : inFlight) {
				request.handle((response, failure) -> null).get(60, TimeUnit.SECONDS);
			}
			client.stop(Duration.ofSeconds(5));
			FAILURES.forEach((why, count) -> progress.println("  failed " + count + "x: " + why));
		}
		finally {
			for (Children.Child instance : instances) {
				if (instance != null) {
					instance.destroy();
				}
			}
		}
		return new Result(null, takeovers, requests.get(), answered.get(), inDoubt.get(), failed.get());
	}

	/** Sends a request every few milliseconds until one sent after the kill is answered; returns when. */
	private static long firstAnswerAfter(DualSocketLink link, long killed, AtomicLong requests, AtomicLong answered,
			AtomicLong inDoubt, AtomicLong failed, ConcurrentLinkedQueue<CompletableFuture<byte[]>> inFlight)
			throws Exception {
		long deadline = killed + TimeUnit.SECONDS.toNanos(60);
		AtomicLong first = new AtomicLong(Long.MAX_VALUE);
		while (first.get() == Long.MAX_VALUE) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("no instance answered within 60 s of the kill");
			}
			CompletableFuture<byte[]> request = send(link, requests, answered, inDoubt, failed);
			inFlight.add(request);
			request.thenRun(() -> first.accumulateAndGet(System.nanoTime(), Math::min));
			TimeUnit.MILLISECONDS.sleep(5); // the load's pace, not a synchronisation
		}
		return first.get();
	}

	private static CompletableFuture<byte[]> send(DualSocketLink link, AtomicLong requests, AtomicLong answered,
			AtomicLong inDoubt, AtomicLong failed) {
		requests.incrementAndGet();
		CompletableFuture<byte[]> request;
		try {
			request = link.request(("r-" + requests.get()).getBytes(StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			request = CompletableFuture.failedFuture(ex);
		}
		return request.whenComplete((response, failure) -> {
			if (failure == null) {
				answered.incrementAndGet();
			}
			else if (((failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
					? failure.getCause() : failure) instanceof RemoteRequestException remote
					&& remote.getReason() == RemoteRequestException.Reason.DUPLICATE_EXPIRED) {
				inDoubt.incrementAndGet();
			}
			else {
				failed.incrementAndGet();
				Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				FAILURES.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1L, Long::sum);
			}
		});
	}

	private static void awaitNormal(DualSocketLink link, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (link.getState() != LinkState.NORMAL) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the link was not NORMAL within " + timeout);
			}
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

	private static Children.Child startInstance(int port, List<String> database, Profile profile) throws Exception {
		List<String> args = new ArrayList<>(database);
		args.add(0, String.valueOf(port));
		return Children.start("ha-instance", args, List.of(), profile);
	}

	/**
	 * One instance: a Spring Boot application whose server endpoint runs only while it leads the role.
	 * Arguments: port, JDBC URL, user, password. Prints {@code @@ready} once started, {@code @@leader} when it leads.
	 */
	static void instanceChild(List<String> args) throws Exception {
		SpringApplication application = new SpringApplication(Instance.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.ofEntries(Map.entry("spring.datasource.url", args.get(1)),
				Map.entry("spring.datasource.username", args.get(2)),
				Map.entry("spring.datasource.password", args.get(3)),
				Map.entry("logging.level.root", "WARN"),
				Map.entry("spring.main.banner-mode", "off"),
				Map.entry("dual-socket.endpoints.exchange.role", "server"),
				Map.entry("dual-socket.endpoints.exchange.host", "127.0.0.1"),
				Map.entry("dual-socket.endpoints.exchange.port", args.get(0)),
				Map.entry("dual-socket.endpoints.exchange.heartbeat.interval", "200ms"),
				Map.entry("dual-socket.endpoints.exchange.heartbeat.timeout", "600ms"),
				Map.entry("dual-socket.endpoints.exchange.ha.enabled", "true"),
				Map.entry("dual-socket.endpoints.exchange.ha.role", ROLE),
				Map.entry("dual-socket.endpoints.exchange.ha.lock-ttl", LOCK_TTL.toMillis() + "ms"),
				Map.entry("dual-socket.endpoints.exchange.ha.heart-beat", "200ms"),
				Map.entry("dual-socket.endpoints.exchange.ha.shared-store", "true")));
		try (ConfigurableApplicationContext context = application.run()) {
			System.out.println("@@ready");
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			while (in.readLine() != null) {
				// until the parent closes standard input, or kills this JVM
			}
		}
	}

	/** The instance's application: the auto-configuration, an echo listener, and a line when it leads. */
	@EnableAutoConfiguration
	static class Instance {

		@Bean
		Echo echo() {
			return new Echo();
		}

		@Bean
		ApplicationListener<ApplicationEvent> leadership() {
			return (event) -> {
				if (event instanceof PayloadApplicationEvent<?> payload
						&& payload.getPayload() instanceof LeadershipGrantedEvent) {
					System.out.println("@@leader");
				}
			};
		}

	}

	/** Answers every request with its payload. */
	static class Echo {

		@DualSocketListener("exchange")
		byte[] echo(byte[] payload) {
			return payload;
		}

	}

}

package dev.dualsocket.ha;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.EndpointSettings.Address;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.RequestHandler;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's standby that takes over the failed server's state (section 6.6 of the protocol): the active server is
 * lost with requests in flight, the client re-establishes on the standby and sends them there under their keys; the
 * standby answers from the shared store what the active one answered, refuses what it may have run, runs the rest,
 * and no request runs twice.
 */
class FailoverWithSharedStoreTests {

	private static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.afterDisconnect(true, Duration.ofSeconds(30), LinkSettings.AfterDisconnect.UNLIMITED)
		.build();

	private final TestBed bed = new TestBed();

	/** How often each payload's handler ran, on either server. */
	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void requestsInFlightWhenTheActiveServerIsLostAreAnsweredOnceByTheStandby() throws Exception {
		InMemorySharedStore store = new InMemorySharedStore();
		CountDownLatch never = new CountDownLatch(1);
		ServerEndpoint active = server("active", store, (request) -> {
			String payload = ran(request.payload());
			if (payload.startsWith("stuck-")) {
				never.await(); // the active server dies while it runs these
			}
			return ("active:" + payload).getBytes(UTF_8);
		});
		ServerEndpoint standby = server("standby", store,
				(request) -> ("standby:" + ran(request.payload())).getBytes(UTF_8));
		try (FaultProxy toActive = new FaultProxy(active.getLocalAddress().getPort())) {
			ClientEndpoint client = client(toActive, standby);
			DualSocketLink link = client.link("orders");

			List<CompletableFuture<byte[]>> done = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				done.add(link.request(("done-" + i).getBytes(UTF_8)));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
			List<CompletableFuture<byte[]>> stuck = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				stuck.add(link.request(("stuck-" + i).getBytes(UTF_8)));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.runs.keySet().stream()
				.filter((payload) -> payload.startsWith("stuck-"))
				.count() == 3);

			// The active server's host vanishes: nothing more gets through, in either direction.
			toActive.refuseNewConnections(true);
			toActive.connections().forEach(FaultProxy.Connection::blackHole);
			List<CompletableFuture<byte[]>> later = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				later.add(link.request(("later-" + i).getBytes(UTF_8)));
			}

			await().atMost(Duration.ofSeconds(10)).until(() -> link.getState() == LinkState.NORMAL
					&& client.getCurrentAddress().port() == standby.getLocalAddress().getPort());
			for (CompletableFuture<byte[]> request : stuck) {
				// They ran on the active server, which never stored an answer: they may have run, and do not run again.
				assertThat(request).failsWithin(Duration.ofSeconds(10))
					.withThrowableOfType(java.util.concurrent.ExecutionException.class)
					.havingCause()
					.isInstanceOfSatisfying(RemoteRequestException.class, (ex) -> assertThat(ex.getReason())
						.isEqualTo(RemoteRequestException.Reason.DUPLICATE_EXPIRED));
			}
			for (int i = 0; i < later.size(); i++) {
				assertThat(new String(later.get(i).get(), UTF_8)).isEqualTo("standby:later-" + i);
			}
			never.countDown();
		}
		assertThat(this.runs.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
		assertThat(this.runs).hasSize(73);
	}

	@Test
	void anAnswerTheActiveServerStoredButCouldNotSendComesFromTheStoreNotFromASecondRun() throws Exception {
		InMemorySharedStore store = new InMemorySharedStore();
		java.util.concurrent.atomic.AtomicReference<FaultProxy> proxy = new java.util.concurrent.atomic.AtomicReference<>();
		ServerEndpoint active = server("active", store, (request) -> {
			String payload = ran(request.payload());
			// The host vanishes as the handler finishes: the answer is stored but never reaches the client.
			proxy.get().refuseNewConnections(true);
			proxy.get().connections().forEach(FaultProxy.Connection::blackHole);
			return ("active:" + payload).getBytes(UTF_8);
		});
		try (FaultProxy toActive = new FaultProxy(active.getLocalAddress().getPort())) {
			proxy.set(toActive);
			ServerEndpoint standby = server("standby", store,
					(request) -> ("standby:" + ran(request.payload())).getBytes(UTF_8));
			ClientEndpoint client = client(toActive, standby);
			DualSocketLink link = client.link("orders");

			CompletableFuture<byte[]> request = link.request("pay-1".getBytes(UTF_8));

			assertThat(new String(request.get(), UTF_8)).isEqualTo("active:pay-1");
			assertThat(this.runs.get("pay-1").get()).isEqualTo(1);
			assertThat(client.getCurrentAddress().port()).isEqualTo(standby.getLocalAddress().getPort());
		}
	}

	@Test
	void aRequestStillRunningWhenTheLinkIsEstablishedAnewWithTheSameServerGetsItsAnswerInTheNewSession()
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ServerEndpoint server = server("server", new InMemorySharedStore(), (request) -> {
			String payload = ran(request.payload());
			release.await();
			return ("answer:" + payload).getBytes(UTF_8);
		});
		ClientEndpoint client = new ClientEndpoint(EndpointSettings.client("client", "127.0.0.1",
				server.getLocalAddress().getPort(), "orders", SETTINGS), this.bed.transport, this.bed.events);
		client.start();
		this.bed.adopt(client);
		DualSocketLink link = client.link("orders");
		TestBed.awaitNormal(link);
		CompletableFuture<byte[]> slow = link.request("slow".getBytes(UTF_8));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.runs.containsKey("slow"));

		int before = this.bed.events.states("client").size();
		link.reconnect(); // a new session with the same server, the handler still running for the old one
		await().atMost(Duration.ofSeconds(5)).until(() -> this.bed.events.states("client").size() > before
				&& link.getState() == LinkState.NORMAL);
		release.countDown();

		assertThat(new String(slow.get(10, java.util.concurrent.TimeUnit.SECONDS), UTF_8)).isEqualTo("answer:slow");
		assertThat(this.runs.get("slow").get()).isEqualTo(1);
	}

	@Test
	void withoutASharedStoreRequestsOfTheLostSessionFailAsBefore() throws Exception {
		CountDownLatch never = new CountDownLatch(1);
		ServerEndpoint active = server("active", null, (request) -> {
			ran(request.payload());
			never.await();
			return new byte[0];
		});
		ServerEndpoint standby = server("standby", null, (request) -> ran(request.payload()).getBytes(UTF_8));
		try (FaultProxy toActive = new FaultProxy(active.getLocalAddress().getPort())) {
			ClientEndpoint client = client(toActive, standby);
			DualSocketLink link = client.link("orders");
			CompletableFuture<byte[]> stuck = link.request("stuck".getBytes(UTF_8));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.runs.containsKey("stuck"));

			toActive.refuseNewConnections(true);
			toActive.connections().forEach(FaultProxy.Connection::blackHole);

			assertThat(stuck).failsWithin(Duration.ofSeconds(10))
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.withCauseInstanceOf(LinkDisconnectedException.class);
			never.countDown();
		}
		assertThat(this.runs.get("stuck").get()).isEqualTo(1);
	}

	@Test
	void aHandlerThatDeclaresItNeverBlocksStillRunsKeyedRequestsOnTheHandlerPoolSinceClaimingThemBlocks()
			throws Exception {
		Map<String, String> threads = new ConcurrentHashMap<>();
		ServerEndpoint active = server("active", new InMemorySharedStore(), RequestHandler.nonBlocking((request) -> {
			threads.put(ran(request.payload()), Thread.currentThread().getName());
			return request.payload();
		}));
		ServerEndpoint standby = server("standby", null, (request) -> request.payload());
		try (FaultProxy toActive = new FaultProxy(active.getLocalAddress().getPort())) {
			DualSocketLink link = client(toActive, standby).link("orders");
			assertThat(link.request("keyed".getBytes(UTF_8)).get(10, java.util.concurrent.TimeUnit.SECONDS))
				.asString(UTF_8)
				.isEqualTo("keyed");
		}
		assertThat(threads.get("keyed")).startsWith("dual-socket-handler");
	}

	/** A client of the active server through the proxy, with the standby server as its standby address. */
	private ClientEndpoint client(FaultProxy toActive, ServerEndpoint standby) {
		ClientEndpoint client = new ClientEndpoint(
				EndpointSettings.client("client", "127.0.0.1", toActive.port(), "orders", SETTINGS)
					.withStandby(List.of(new Address("127.0.0.1", standby.getLocalAddress().getPort()))),
				this.bed.transport, this.bed.events);
		client.start();
		this.bed.adopt(client);
		TestBed.awaitNormal(client.link("orders"));
		return client;
	}

	private String ran(byte[] payload) {
		String text = new String(payload, UTF_8);
		this.runs.computeIfAbsent(text, (key) -> new AtomicInteger()).incrementAndGet();
		return text;
	}

	private ServerEndpoint server(String name, InMemorySharedStore store, RequestHandler handler) {
		ServerEndpoint server = new ServerEndpoint(EndpointSettings.server(name, "127.0.0.1", 0, SETTINGS),
				this.bed.transport, this.bed.events);
		server.setServedRequestStore(store);
		server.setRequestHandler(handler);
		server.start();
		this.bed.adopt(server);
		return server;
	}

}

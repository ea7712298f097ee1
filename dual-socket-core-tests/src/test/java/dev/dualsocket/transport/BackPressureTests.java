package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.CountingHandler;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that sends requests and never reads their answers stops being read (section 6.4 of the protocol): its
 * answers cannot pile up in the server, and every other link keeps working.
 */
class BackPressureTests {

	/** Heartbeats too slow to close the flooding connection while the test watches it. */
	private static final LinkSettings PATIENT = TestBed.FAST.toBuilder()
		.heartbeat(Duration.ofSeconds(5), Duration.ofSeconds(30))
		.build();

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void connectionThatSendsRequestsAndNeverReadsTheAnswersStopsBeingRead() throws Exception {
		ServerEndpoint server = this.bed.server("server", PATIENT);
		CountingHandler handler = new CountingHandler();
		server.setRequestHandler(handler);
		int port = server.getLocalAddress().getPort();
		ClientEndpoint client = this.bed.client("client", "healthy", port, TestBed.FAST);
		DualSocketLink healthy = client.link("healthy");
		TestBed.awaitNormal(healthy);

		AtomicLong written = new AtomicLong();
		try (RawConnection requests = new RawConnection(port); RawConnection answers = new RawConnection(port)) {
			requests.writeHello(1, 1, 77, "flooder");
			byte[] token = requests.readUntil(RawConnection.HELLO_ACCEPT).shortBytesAt(2);
			answers.writeHello(1, 2, 77, "flooder", token);
			answers.readUntil(RawConnection.HELLO_ACCEPT);
			TestBed.awaitServerLink(server, "flooder");

			Thread flood = new Thread(() -> {
				byte[] padding = new byte[4096];
				Arrays.fill(padding, (byte) 'x');
				try {
					for (long id = 1;; id++) {
						byte[] payload = (id + ":" + new String(padding, UTF_8)).getBytes(UTF_8);
						requests.writeFrame(RawConnection.REQUEST, id, payload);
						written.set(id);
					}
				}
				catch (IOException ex) {
					// closed at the end of the test
				}
			}, "flood");
			flood.setDaemon(true);
			flood.start();

			// The server stops reading: the flood's writes block for good, and no more requests are run, though
			// every answer so far (each over 4 KiB) went unread.
			long[] last = { -1 };
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(100))
				.during(Duration.ofSeconds(1))
				.until(() -> {
					long now = written.get();
					boolean still = now > 0 && now == last[0];
					last[0] = now;
					return still;
				});
			int ran = handler.runs().size();
			assertThat(ran).isPositive().isLessThanOrEqualTo((int) written.get());
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> handler.runs().size() == ran);
			// What was run and not read stays bounded: the 256 KiB mark plus what the two socket buffers hold.
			assertThat(ran).as("requests run for a peer that reads nothing").isLessThan(2_000);

			// Nobody else notices.
			assertThat(healthy.getState()).isEqualTo(LinkState.NORMAL);
			assertThat(healthy.snapshot().outbound().connects()).isOne();
			assertThat(healthy.snapshot().inbound().connects()).isOne();
			assertThat(healthy.request("still here".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
				.isEqualTo(CountingHandler.answerTo("still here").getBytes(UTF_8));
		}
	}

}

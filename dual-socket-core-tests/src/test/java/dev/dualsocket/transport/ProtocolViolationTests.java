package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.ProtocolErrorEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.RawConnection;
import dev.dualsocket.test.RawConnection.RawFrame;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Bad input on one connection closes that connection only, with a log line and an event; every link keeps working.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProtocolViolationTests {

	private static final LinkSettings SMALL_FRAMES = TestBed.FAST.toBuilder().maxFrameSize(1024).build();

	private final TestBed bed = new TestBed();

	private ServerEndpoint server;

	private DualSocketLink healthyLink;

	@BeforeEach
	void startServerWithOneHealthyLink() {
		this.server = this.bed.server("server", SMALL_FRAMES);
		this.server.setRequestHandler((request) -> request.payload());
		ClientEndpoint client = this.bed.client("client", "healthy", this.server.getLocalAddress().getPort(),
				SMALL_FRAMES);
		this.healthyLink = client.link("healthy");
		TestBed.awaitNormal(this.healthyLink);
	}

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void oversizedFrameIsRefusedFromItsLengthPrefixAloneAndClosesOnlyThatConnection(CapturedOutput output)
			throws Exception {
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			// Only the 4-byte prefix of a 2 GB frame: the server must not wait for, or allocate, the body.
			raw.writeBytes(new byte[] { 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF });

			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains("frame of 2147483647 bytes exceeds max-frame-size of 1024 bytes")
			.contains("Other connections are not affected");
		// Events are delivered on the event threads, after the connection was closed.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.bed.events.ofType(ProtocolErrorEvent.class))
			.singleElement()
			.satisfies((event) -> assertThat(event.getReason()).contains("exceeds max-frame-size")));
		assertHealthyLinkUndisturbed();
	}

	@Test
	void garbageByteStreamClosesOnlyThatConnection(CapturedOutput output) throws Exception {
		byte[] garbage = new byte[4096];
		new Random(42).nextBytes(garbage);
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			raw.writeBytes(garbage);

			assertThat(raw.closedByPeer()).isTrue();
		}
		try (RawConnection http = new RawConnection(this.server.getLocalAddress().getPort())) {
			http.writeBytes("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));

			assertThat(http.closedByPeer()).isTrue();
		}
		assertThat(output).contains("WARN").contains("closing connection /127.0.0.1:");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.bed.events.ofType(ProtocolErrorEvent.class)).hasSize(2));
		assertHealthyLinkUndisturbed();
	}

	@Test
	void handshakeWithUnknownVersionIsRejectedWithReasonAndClosesOnlyThatConnection(CapturedOutput output)
			throws Exception {
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			raw.writeHello(99, 1, 7, "intruder");

			RawFrame reject = raw.readFrame();
			assertThat(reject.type()).isEqualTo(0x03);
			assertThat(reject.unsignedShortAt(0)).isEqualTo(HelloReject.Reason.UNSUPPORTED_VERSION.code());
			assertThat(new String(reject.payload(), 2, reject.payload().length - 2, UTF_8))
				.isEqualTo("unsupported protocol version 99 (this server speaks 1)");
			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains("unsupported protocol version 99");
		assertThat(this.server.findLink("intruder")).isEmpty();
		assertHealthyLinkUndisturbed();
	}

	@Test
	void frameOtherThanHelloFirstClosesTheConnection(CapturedOutput output) throws Exception {
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			raw.writeFrame(0x10, 1, "hello?".getBytes(UTF_8));

			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains("expected HELLO as the first frame, got REQUEST");
		assertHealthyLinkUndisturbed();
	}

	@Test
	void requestLargerThanMaxFrameSizeFailsAtTheCallerWithoutTouchingTheLink() throws Exception {
		byte[] tooBig = new byte[2048];

		assertThat(this.healthyLink.request(tooBig)).failsWithin(1, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("does not fit in max-frame-size of 1024 bytes");
		assertHealthyLinkUndisturbed();
	}

	private void assertHealthyLinkUndisturbed() throws Exception {
		assertThat(this.healthyLink.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class)).isEmpty();
		assertThat(this.healthyLink.snapshot().outbound().connects()).isOne();
		assertThat(this.healthyLink.snapshot().inbound().connects()).isOne();
		assertThat(this.healthyLink.request("still here".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
			.isEqualTo("still here".getBytes(UTF_8));
	}

}

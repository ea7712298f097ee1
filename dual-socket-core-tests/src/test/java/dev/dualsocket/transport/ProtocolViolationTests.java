package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.dualsocket.Limit;
import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LimitExceededEvent;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
		assertLimitExceeded(Limit.FRAME_SIZE, null);
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
				.isEqualTo("unsupported protocol version 99 (this server speaks 1 and 2)");
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

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedHellos")
	void helloThatBreaksARuleIsAnsweredMalformedHelloAndClosesOnlyThatConnection(String rule, byte[] payload,
			String reason, CapturedOutput output) throws Exception {
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			raw.writeFrame(0x01, 0, payload);

			RawFrame reject = raw.readFrame();
			assertThat(reject.type()).isEqualTo(0x03);
			assertThat(reject.unsignedShortAt(0)).isEqualTo(HelloReject.Reason.MALFORMED_HELLO.code());
			assertThat(new String(reject.payload(), 2, reject.payload().length - 2, UTF_8)).contains(reason);
			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains(reason);
		assertThat(this.server.links()).extracting(DualSocketLink::getId).containsExactly("healthy");
		assertHealthyLinkUndisturbed();
	}

	static Stream<Arguments> malformedHellos() {
		byte[] token15 = new byte[15];
		return Stream.of(
				Arguments.of("session 0", hello(1, 0, "x".getBytes(UTF_8), new byte[0]), "session 0 is not a session"),
				Arguments.of("link id not UTF-8", hello(1, 7, new byte[] { 'a', (byte) 0xC3, 0x28 }, new byte[0]),
						"link id is not valid UTF-8"),
				Arguments.of("control character", hello(1, 7, "a\nb".getBytes(UTF_8), new byte[0]),
						"control character U+000A"),
				Arguments.of("empty link id", hello(1, 7, new byte[0], new byte[0]), "link id must be 1 to 255 bytes"),
				Arguments.of("token of 15 bytes", hello(1, 7, "x".getBytes(UTF_8), token15),
						"session token must be empty or 16 bytes"),
				Arguments.of("channel 3", hello(3, 7, "x".getBytes(UTF_8), new byte[0]), "unknown channel 3"),
				Arguments.of("truncated", new byte[] { 0, 1, 1, 0, 0 }, "payload ends before its session field"),
				Arguments.of("too short for a version", new byte[] { 0 }, "payload ends before its version field"));
	}

	/** A version 1 HELLO payload with the given fields and empty credentials. */
	private static byte[] hello(int channel, long session, byte[] linkId, byte[] token) {
		ByteBuffer buffer = ByteBuffer.allocate(2 + 1 + 8 + 2 + linkId.length + 2 + 2 + token.length);
		buffer.putShort((short) 1).put((byte) channel).putLong(session);
		buffer.putShort((short) linkId.length).put(linkId);
		buffer.putShort((short) 0);
		buffer.putShort((short) token.length).put(token);
		return buffer.array();
	}

	@Test
	void frameLongerThanAHelloBeforeTheHandshakeIsRefusedFromItsLengthPrefix(CapturedOutput output) throws Exception {
		ServerEndpoint roomy = this.bed.server("roomy", TestBed.FAST);
		try (RawConnection raw = new RawConnection(roomy.getLocalAddress().getPort())) {
			// Far below its max-frame-size of 1 MiB, but longer than any HELLO: only the length prefix is read.
			raw.writeBytes(new byte[] { 0, 0, 0x04, 0x01 });

			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains("frame of 1025 bytes before the handshake completed; at most 1024 are read");
		assertThat(this.bed.events.ofType(LimitExceededEvent.class, "roomy")).singleElement()
			.satisfies((event) -> assertThat(event.getLimit()).isEqualTo(Limit.HANDSHAKE_FRAME_SIZE));
		assertHealthyLinkUndisturbed();
	}

	@Test
	void heartbeatWithAPayloadOfThreeBytesClosesThatConnection(CapturedOutput output) throws Exception {
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			raw.writeHello(1, 1, 7, "pinger");
			assertThat(raw.readFrame().type()).isEqualTo(0x02);

			raw.writeFrame(0x20, 99, new byte[] { 1, 2, 3 });

			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains("HEARTBEAT payload must be empty or 8 bytes, was 3 bytes");
		assertThat(this.bed.events.ofType(ProtocolErrorEvent.class)).hasSize(1);
		assertThat(this.bed.events.ofType(LimitExceededEvent.class)).as("a malformed frame goes past no limit").isEmpty();
		assertHealthyLinkUndisturbed();
	}

	@Test
	void heartbeatFloodClosesThatConnection(CapturedOutput output) throws Exception {
		try (RawConnection raw = new RawConnection(this.server.getLocalAddress().getPort())) {
			raw.writeHello(1, 1, 7, "flooder");
			assertThat(raw.readFrame().type()).isEqualTo(0x02);

			for (int nonce = 1; nonce <= HeartbeatHandler.MAX_HEARTBEATS_PER_SECOND + 1; nonce++) {
				raw.writeFrame(0x20, nonce, new byte[0]);
			}

			assertThat(raw.closedByPeer()).isTrue();
		}
		assertThat(output).contains("too many heartbeats: more than 50 within one second");
		assertLimitExceeded(Limit.HEARTBEAT_RATE, "flooder");
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

	@Test
	void responseLargerThanMaxFrameSizeIsAnsweredWithAnErrorAndTheLinkStaysUp(CapturedOutput output) throws Exception {
		this.server.setRequestHandler((request) -> new byte[2048]);

		assertThat(this.healthyLink.request("big".getBytes(UTF_8))).failsWithin(5, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RemoteRequestException.class)
			.withMessageContaining("the response of 2048 bytes does not fit in max-frame-size of 1024 bytes");
		assertThat(output).contains("is answered with an error instead");
		this.server.setRequestHandler((request) -> request.payload());
		assertHealthyLinkUndisturbed();
	}

	/** The connection closed for going past a limit was reported as a limit exceeded too, besides the violation. */
	private void assertLimitExceeded(Limit limit, String linkId) {
		assertThat(this.bed.events.ofType(ProtocolErrorEvent.class, "server")).hasSize(1);
		assertThat(this.bed.events.ofType(LimitExceededEvent.class, "server")).singleElement().satisfies((event) -> {
			assertThat(event.getLimit()).isEqualTo(limit);
			assertThat(event.getLinkId()).isEqualTo(linkId);
			assertThat(event.getRemoteAddress()).startsWith("/127.0.0.1:");
		});
	}

	private void assertHealthyLinkUndisturbed() throws Exception {
		assertThat(this.healthyLink.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.bed.events.ofType(SocketFailedEvent.class))
			.noneMatch((failure) -> "healthy".equals(failure.getLinkId()));
		assertThat(this.healthyLink.snapshot().outbound().connects()).isOne();
		assertThat(this.healthyLink.snapshot().inbound().connects()).isOne();
		assertThat(this.healthyLink.request("still here".getBytes(UTF_8)).get(5, TimeUnit.SECONDS))
			.isEqualTo("still here".getBytes(UTF_8));
	}

}

package dev.dualsocket.transport.fuzz;

import static dev.dualsocket.test.FuzzStreams.chunks;
import static dev.dualsocket.test.FuzzStreams.concat;
import static dev.dualsocket.test.FuzzStreams.hex;
import static dev.dualsocket.test.FuzzStreams.isProtocolViolation;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dualsocket.test.FuzzStreams;
import dev.dualsocket.transport.Authentication;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.FieldList;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameDecoder;
import dev.dualsocket.transport.FrameEncoder;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.Hello;
import dev.dualsocket.transport.HelloAccept;
import dev.dualsocket.transport.HelloChallenge;
import dev.dualsocket.transport.HelloProof;
import dev.dualsocket.transport.HelloReject;
import dev.dualsocket.transport.Protocol;
import dev.dualsocket.transport.ProtocolViolationException;
import dev.dualsocket.transport.ServerHandshakeHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzz tests of what a peer controls before it is trusted: the byte stream a {@link FrameDecoder} cuts into frames,
 * the payload of a {@code HELLO}, and the server's handshake. Every build runs each test on the empty input and on the
 * files under {@code src/test/resources/dev/dualsocket/transport/fuzz/WireFuzzTestsInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes the one test {@code -Dtest} names and writes each input that fails it into that
 * directory, where it stays as a regression input (see "Fuzzing" in the README).
 * <p>
 * Each test checks the rules of {@code docs/PROTOCOL.md}, not only that nothing crashes:
 * <ul>
 * <li>{@link #decoder}: a stream, cut into chunks of any size, fed to a {@link FrameDecoder} in an
 * {@link EmbeddedChannel}, with or without the limit before the handshake (section 2), which is lifted after the first
 * frame as an accepted {@code HELLO} lifts it. It puts out, in order, each complete frame an independent reading of
 * section 2 finds, as soon as its last byte is in; each re-encodes with {@link FrameEncoder} to exactly the bytes it
 * consumed (the reserved flags byte written as 0). It throws nothing but a {@link ProtocolViolationException} (or a
 * {@link DecoderException} wrapping one), and that on the very chunk that completes the length prefix of a frame
 * longer than the limit in force or shorter than its header, or completes a frame of unknown type; after that,
 * nothing. So it never waits for, buffers or allocates a frame over the limit.</li>
 * <li>{@link #helloParser}: {@link Hello#fromFrame} throws {@link ProtocolViolationException} or returns a handshake
 * that keeps every rule of section 4.1 and holds the payload's fields: {@link Hello#toFrame} writes back the payload's
 * leading bytes (the rest being trailing bytes, which receivers ignore), which parse to the same value. A version 1
 * payload is accepted if and only if an independent reading of section 4.1 finds it valid. {@link Hello#versionOf}
 * reads the version of any payload of two bytes or more, and throws only that exception for a shorter one.</li>
 * <li>{@link #handshake}: a chunked stream fed to the server's pipeline (decoder, encoder,
 * {@link ServerHandshakeHandler}, and last a handler that records failures and closes, as the endpoint's error handler
 * does), whose acceptor opens a session for an empty token, joins the session of {@link #TOKEN} and answers other
 * tokens {@code SESSION_ENDED}. Once the stream is in and the handshake timeout has run out, the connection's first
 * frame alone decides the outcome: one {@code HELLO_ACCEPT} written and the connection kept; one {@code HELLO_REJECT}
 * written, with the reason sections 4 and 8 give, and the connection closed; or nothing written and the connection
 * closed. The acceptor is asked about that first frame only, and at most once; nothing but protocol violations
 * reaches the last handler; the pending handshake is given back exactly once; after an accept, the frames that follow
 * pass on, up to max-frame-size (after a version-2 accept, with their header fields, section 2.1).</li>
 * </ul>
 * A {@link FuzzedDataProvider} input of {@link #decoder} or {@link #handshake} holds the stream first; then, read
 * backwards from its last byte, (decoder only) a mode byte whose lowest bit set means "before the handshake", and one
 * byte per chunk, the first chunk's first, giving its length (1 to 255; 0 counts as 1). So a seed that feeds a stream
 * {@code S} in one chunk is {@code S}, then the byte {@code len(S)}, then (decoder) the mode byte.
 */
class WireFuzzTests {

	/** The session token of the only session the handshake's acceptor holds: the one of docs/PROTOCOL.md, 4.1. */
	private static final byte[] TOKEN = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

	/** The max-frame-size of the decoders: above the limit before the handshake, and in reach of the fuzzer. */
	private static final int MAX_FRAME_SIZE = 1200;

	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

	/** An endpoint that requires every connection to prove a secret. */
	private static final ServerHandshakeHandler.Credentials SECRET_REQUIRED = new ServerHandshakeHandler.Credentials(
			true, false, (linkId) -> "a secret the fuzzer does not know".getBytes(UTF_8));

	private static final String HANDSHAKE_LOGGER = ServerHandshakeHandler.class.getName();

	private static @Nullable Level handshakeLogLevel;

	@BeforeAll
	static void quietRefusals() {
		// The handler logs every refusal at INFO: one line per input would flood the fuzzing run.
		Logger logger = (Logger) LoggerFactory.getLogger(HANDSHAKE_LOGGER);
		handshakeLogLevel = logger.getLevel();
		logger.setLevel(Level.WARN);
	}

	@AfterAll
	static void restoreRefusals() {
		((Logger) LoggerFactory.getLogger(HANDSHAKE_LOGGER)).setLevel(handshakeLogLevel);
	}

	@FuzzTest
	void decoder(FuzzedDataProvider data) {
		boolean beforeHandshake = data.consumeBoolean();
		List<byte[]> chunks = chunks(data);
		byte[] stream = concat(chunks);
		int firstLimit = beforeHandshake ? Hello.MAX_HELLO_LENGTH : MAX_FRAME_SIZE;
		Reading expected = Reading.of(stream, firstLimit, MAX_FRAME_SIZE, false);
		FrameDecoder decoder = new FrameDecoder(MAX_FRAME_SIZE);
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		if (beforeHandshake) {
			decoder.limitUntilHandshake(Hello.MAX_HELLO_LENGTH);
			channel.pipeline().addLast(new LiftLimitAfterFirstFrame(decoder));
		}
		EmbeddedChannel encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
		int fed = 0;
		int delivered = 0;
		for (byte[] chunk : chunks) {
			int before = fed;
			fed += chunk.length;
			Throwable thrown = null;
			try {
				channel.writeInbound(Unpooled.wrappedBuffer(chunk));
			}
			catch (Throwable ex) {
				thrown = ex;
			}
			boolean refusalDue = expected.refusedAt > before && expected.refusedAt <= fed;
			if (thrown != null && !(refusalDue && isProtocolViolation(thrown))) {
				throw new AssertionError("decoder threw on bytes " + before + " to " + fed + " of " + hex(stream)
						+ (refusalDue ? "" : "; no refusal was due there"), thrown);
			}
			if (refusalDue && thrown == null) {
				throw new AssertionError("decoder did not refuse on bytes " + before + " to " + fed + " of "
						+ hex(stream) + "; the refusal was due at byte " + expected.refusedAt);
			}
			for (Frame frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
				assertThat(delivered).as("frames put out").isLessThan(expected.frames.size());
				int[] span = expected.frames.get(delivered++);
				assertThat(span[1]).as("end of the frame put out").isLessThanOrEqualTo(fed);
				assertThat(frame.encodedLength()).isLessThanOrEqualTo(Frame.LENGTH_PREFIX
						+ ((delivered == 1) ? firstLimit : MAX_FRAME_SIZE));
				byte[] consumed = Arrays.copyOfRange(stream, span[0], span[1]);
				consumed[Frame.LENGTH_PREFIX + 1] = 0;
				byte[] encoded = encode(encoder, frame);
				if (!Arrays.equals(encoded, consumed)) {
					throw new AssertionError("frame " + (delivered - 1) + " re-encodes to " + hex(encoded)
							+ ", consumed " + hex(consumed) + " (flags as 0)");
				}
			}
			assertThat(delivered).as("frames put out once %d bytes are in", fed).isEqualTo(expected.completeBy(fed));
		}
		assertThat(channel.finish()).as("anything left after the connection closed").isFalse();
		encoder.finishAndReleaseAll();
	}

	@FuzzTest
	void helloParser(byte[] payload) {
		Frame frame = new Frame(FrameType.HELLO, 0, payload);
		int version;
		try {
			version = Hello.versionOf(frame);
			assertThat(version).isEqualTo(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
		}
		catch (ProtocolViolationException ex) {
			assertThat(payload.length).as("payload of a HELLO whose version did not parse").isLessThan(2);
			version = -1;
		}
		Hello hello;
		try {
			hello = Hello.fromFrame(frame);
		}
		catch (ProtocolViolationException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			if (version == 1) {
				assertThat(validVersion1(payload)).as(() -> "version 1 HELLO refused: " + ex.getMessage()).isFalse();
			}
			return;
		}
		if (version == 1) {
			assertThat(validVersion1(payload)).as("version 1 HELLO accepted").isTrue();
		}
		assertThat(hello.version()).isEqualTo(version);
		assertThat(payload[2]).isBetween((byte) 1, (byte) 2);
		assertThat(hello.channel()).isEqualTo((payload[2] == 1) ? ChannelKind.CLIENT_OUTBOUND : ChannelKind.CLIENT_INBOUND);
		assertThat(hello.sessionId()).isNotZero().isEqualTo(ByteBuffer.wrap(payload, 3, 8).getLong());
		byte[] linkId = hello.linkId().getBytes(UTF_8);
		assertThat(linkId.length).isBetween(1, Hello.MAX_LINK_ID_LENGTH);
		assertThat(hello.linkId().codePoints()).noneMatch(WireFuzzTests::isControl);
		assertThat(hello.token().length).isIn(0, Hello.TOKEN_LENGTH);
		Frame again = hello.toFrame();
		assertThat(again.type()).isEqualTo(FrameType.HELLO);
		assertThat(again.id()).isZero();
		int length = again.payload().length;
		if (length > payload.length || !Arrays.equals(payload, 0, length, again.payload(), 0, length)) {
			throw new AssertionError("HELLO re-encodes to " + hex(again.payload()) + ", which does not begin "
					+ hex(payload));
		}
		Hello reparsed = Hello.fromFrame(again);
		assertThat(reparsed.version()).isEqualTo(hello.version());
		assertThat(reparsed.channel()).isEqualTo(hello.channel());
		assertThat(reparsed.sessionId()).isEqualTo(hello.sessionId());
		assertThat(reparsed.linkId()).isEqualTo(hello.linkId());
		assertThat(reparsed.fields()).isEqualTo(hello.fields());
		assertThat(reparsed.token()).isEqualTo(hello.token());
	}

	@FuzzTest
	void handshake(FuzzedDataProvider data) throws Exception {
		boolean authenticating = data.consumeBoolean();
		if (authenticating) {
			authenticatingHandshake(data);
			return;
		}
		List<byte[]> chunks = chunks(data);
		byte[] stream = concat(chunks);
		// Section 2.1: once a version-2 HELLO is accepted, the frames after it are read with their header fields.
		Reading expected = Reading.of(stream, Hello.MAX_HELLO_LENGTH, MAX_FRAME_SIZE,
				acceptedAsVersion2(Reading.of(stream, Hello.MAX_HELLO_LENGTH, MAX_FRAME_SIZE, false), stream));
		FrameDecoder decoder = new FrameDecoder(MAX_FRAME_SIZE);
		StubAcceptor acceptor = new StubAcceptor();
		int[] done = new int[1];
		Last last = new Last();
		EmbeddedChannel channel = new EmbeddedChannel(decoder, FrameEncoder.INSTANCE,
				new ServerHandshakeHandler(acceptor, ServerHandshakeHandler.Credentials.NONE, HANDSHAKE_TIMEOUT, decoder,
						() -> done[0]++),
				last);
		feedUntilTheHandshakeTimedOut(channel, chunks);
		List<Frame> written = writtenFrames(channel);
		assertThat(last.errors).as("failures that reached the last handler")
			.allMatch(FuzzStreams::isProtocolViolation);
		assertThat(acceptor.asked).as("handshakes the acceptor was asked about").hasSizeLessThanOrEqualTo(1);
		Frame first = expected.frames.isEmpty() ? null : frameAt(stream, expected.frames.get(0));
		if (first == null || first.type() != FrameType.HELLO) {
			// Nothing (or not a HELLO, or a refused frame) came first: no answer, closed.
			assertThat(written).as("frames the server wrote").isEmpty();
			assertThat(acceptor.asked).as("handshakes the acceptor was asked about, the first frame being no HELLO")
				.isEmpty();
			assertThat(channel.isOpen()).as("connection still open").isFalse();
		}
		else {
			assertThat(written).as("frames the server wrote").hasSize(1);
			HelloReject.Reason reason = expectedRejection(first, acceptor);
			if (reason == HelloReject.Reason.UNSUPPORTED_VERSION || reason == HelloReject.Reason.MALFORMED_HELLO) {
				assertThat(acceptor.asked).as("handshakes the acceptor was asked about").isEmpty();
			}
			if (reason == null) {
				assertThat(written.get(0).type()).isEqualTo(FrameType.HELLO_ACCEPT);
				HelloAccept accept = HelloAccept.fromFrame(written.get(0));
				assertThat(accept.version()).isEqualTo(Hello.versionOf(first));
				assertThat(accept.token()).isEqualTo(TOKEN);
				assertThat(channel.pipeline().get(ServerHandshakeHandler.class)).isNull();
				// The limit before the handshake is lifted: what follows is read up to max-frame-size.
				List<Frame> following = new ArrayList<>();
				for (int i = 1; i < expected.frames.size(); i++) {
					following.add(frameAt(stream, expected.frames.get(i)));
				}
				assertThat(last.frames).as("frames after the accepted HELLO")
					.usingElementComparator(WireFuzzTests::compareFrames)
					.containsExactlyElementsOf(following);
				assertThat(channel.isOpen()).as("connection still open").isEqualTo(expected.refusedAt < 0);
			}
			else {
				assertThat(written.get(0).type()).isEqualTo(FrameType.HELLO_REJECT);
				assertThat(HelloReject.fromFrame(written.get(0)).reason()).as("reason of the HELLO_REJECT")
					.isEqualTo(reason);
				assertThat(channel.isOpen()).as("connection still open").isFalse();
			}
		}
		assertThat(done[0]).as("times the pending handshake was given back").isEqualTo(1);
		channel.finishAndReleaseAll();
	}

	/**
	 * The handshake of an endpoint that requires a secret: no input can prove it (the fuzzer cannot compute the HMAC),
	 * so the acceptor is never asked; the server writes at most a challenge and a refusal, the connection is closed
	 * once the timeout has run out, and the pending handshake is given back exactly once.
	 */
	private void authenticatingHandshake(FuzzedDataProvider data) {
		List<byte[]> chunks = chunks(data);
		FrameDecoder decoder = new FrameDecoder(MAX_FRAME_SIZE);
		StubAcceptor acceptor = new StubAcceptor();
		int[] done = new int[1];
		Last last = new Last();
		EmbeddedChannel channel = new EmbeddedChannel(decoder, FrameEncoder.INSTANCE,
				new ServerHandshakeHandler(acceptor, SECRET_REQUIRED, HANDSHAKE_TIMEOUT, decoder, () -> done[0]++), last);
		feedUntilTheHandshakeTimedOut(channel, chunks);
		List<Frame> written = writtenFrames(channel);
		assertThat(acceptor.asked).as("handshakes the acceptor was asked about without a proof").isEmpty();
		assertThat(written).as("frames the server wrote").hasSizeLessThanOrEqualTo(2)
			.allMatch((frame) -> frame.type() == FrameType.HELLO_CHALLENGE || frame.type() == FrameType.HELLO_REJECT);
		if (!written.isEmpty() && written.get(written.size() - 1).type() == FrameType.HELLO_REJECT) {
			HelloReject.Reason reason = HelloReject.fromFrame(written.get(written.size() - 1)).reason();
			assertThat(reason).isIn(HelloReject.Reason.AUTHENTICATION_FAILED, HelloReject.Reason.MALFORMED_HELLO,
					HelloReject.Reason.UNSUPPORTED_VERSION);
		}
		assertThat(last.errors).as("failures that reached the last handler")
			.allMatch(FuzzStreams::isProtocolViolation);
		assertThat(channel.isOpen()).as("connection still open once the handshake timed out").isFalse();
		assertThat(done[0]).as("times the pending handshake was given back").isEqualTo(1);
		channel.finishAndReleaseAll();
	}

	/**
	 * Feeds the chunks to the server's pipeline while the connection is open, then lets the handshake timeout run out.
	 * The timeout started as the channel became active; from then on only advanceTimeBy moves the clock.
	 */
	private static void feedUntilTheHandshakeTimedOut(EmbeddedChannel channel, List<byte[]> chunks) {
		channel.freezeTime();
		for (byte[] chunk : chunks) {
			if (!channel.isOpen()) {
				break;
			}
			try {
				channel.writeInbound(Unpooled.wrappedBuffer(chunk));
			}
			catch (Throwable ex) {
				throw new AssertionError("exception escaped the pipeline on " + hex(concat(chunks)), ex);
			}
		}
		channel.advanceTimeBy(HANDSHAKE_TIMEOUT.toNanos() + 1, TimeUnit.NANOSECONDS);
		channel.runScheduledPendingTasks();
		channel.runPendingTasks();
	}

	/**
	 * Header fields of version 2 (section 2.1): a REQUEST with the FIELDS flag and any payload either is refused as a
	 * protocol violation or puts out a frame whose fields and payload re-encode to exactly what was read (an empty
	 * field list, which the encoder leaves out, aside).
	 */
	@FuzzTest
	void headerFields(byte[] body) {
		ByteBuffer frame = ByteBuffer.allocate(Frame.LENGTH_PREFIX + Frame.HEADER_LENGTH + body.length);
		frame.putInt(Frame.HEADER_LENGTH + body.length).put((byte) 0x10).put((byte) Frame.FLAG_FIELDS).putLong(7)
			.put(body);
		FrameDecoder decoder = new FrameDecoder(MAX_FRAME_SIZE);
		decoder.handshakeCompleted(2);
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		Frame read;
		try {
			channel.writeInbound(Unpooled.wrappedBuffer(frame.array()));
			read = channel.readInbound();
		}
		catch (Throwable ex) {
			if (!isProtocolViolation(ex)) {
				throw new AssertionError("decoder threw on " + hex(frame.array()), ex);
			}
			return;
		}
		assertThat(read).as("frame put out").isNotNull();
		EmbeddedChannel encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
		byte[] encoded = encode(encoder, read);
		byte[] expected = frame.array();
		if (read.fields().isEmpty()) {
			// Only an empty list reads as no fields; the encoder writes neither the flag nor the list.
			assertThat(body.length).isGreaterThanOrEqualTo(2);
			assertThat(ByteBuffer.wrap(body).getShort()).isZero();
			expected = new byte[expected.length - 2];
			ByteBuffer.wrap(expected).putInt(Frame.HEADER_LENGTH + body.length - 2).put((byte) 0x10).put((byte) 0)
				.putLong(7).put(body, 2, body.length - 2);
		}
		if (!Arrays.equals(encoded, expected)) {
			throw new AssertionError("frame re-encodes to " + hex(encoded) + ", read " + hex(expected));
		}
		for (int key = FieldList.CRITICAL; key <= 0xFFFF; key += 0x1111) {
			assertThat(read.fields().get(key)).as("a critical field read, none being known").isNull();
		}
		encoder.finishAndReleaseAll();
		channel.finishAndReleaseAll();
	}

	/**
	 * What a server sends a client before the client trusts it: HELLO_ACCEPT, HELLO_CHALLENGE and HELLO_PROOF parse
	 * to a value within the rules of sections 3.1, 4.2 and 4.5, or are refused as a protocol violation; nothing else.
	 */
	@FuzzTest
	void clientSideParsers(byte[] payload) {
		try {
			HelloAccept accept = HelloAccept.fromFrame(new Frame(FrameType.HELLO_ACCEPT, 0, payload));
			assertThat(accept.token()).hasSize(Hello.TOKEN_LENGTH);
			byte[] proof = accept.serverProof();
			assertThat(proof == null || proof.length == Authentication.PROOF_LENGTH).isTrue();
			if (accept.version() >= 2) {
				assertThat(accept.toFrame().payload()).isEqualTo(payload);
			}
		}
		catch (ProtocolViolationException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
		try {
			HelloChallenge challenge = HelloChallenge.fromFrame(new Frame(FrameType.HELLO_CHALLENGE, 0, payload));
			assertThat(challenge.toFrame().payload()).isEqualTo(payload);
		}
		catch (ProtocolViolationException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
		try {
			assertThat(HelloProof.fromFrame(new Frame(FrameType.HELLO_PROOF, 0, payload)).proof()).isEqualTo(payload);
		}
		catch (ProtocolViolationException ex) {
			assertThat(payload.length).isNotEqualTo(Authentication.PROOF_LENGTH);
		}
	}

	/**
	 * What the server must answer to a first frame that is a HELLO, given the stub's sessions.
	 * @return the reason of the HELLO_REJECT, or {@code null} for a HELLO_ACCEPT
	 */
	private static HelloReject.@Nullable Reason expectedRejection(Frame hello, StubAcceptor acceptor) {
		byte[] payload = hello.payload();
		if (payload.length < 2) {
			return HelloReject.Reason.MALFORMED_HELLO;
		}
		int version = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
		if (version != Protocol.VERSION && version != Protocol.OLDEST_VERSION) {
			return HelloReject.Reason.UNSUPPORTED_VERSION;
		}
		Hello parsed;
		try {
			parsed = Hello.fromFrame(hello);
		}
		catch (ProtocolViolationException ex) {
			return HelloReject.Reason.MALFORMED_HELLO;
		}
		assertThat(acceptor.asked).singleElement().satisfies((asked) -> {
			assertThat(asked.linkId()).isEqualTo(parsed.linkId());
			assertThat(asked.sessionId()).isEqualTo(parsed.sessionId());
			assertThat(asked.token()).isEqualTo(parsed.token());
		});
		return StubAcceptor.holds(parsed) ? null : HelloReject.Reason.SESSION_ENDED;
	}

	/** Whether the first frame of the stream is a HELLO the stub accepts, agreeing on version 2. */
	private static boolean acceptedAsVersion2(Reading reading, byte[] stream) {
		if (reading.frames.isEmpty()) {
			return false;
		}
		Frame first = frameAt(stream, reading.frames.get(0));
		if (first.type() != FrameType.HELLO) {
			return false;
		}
		try {
			Hello hello = Hello.fromFrame(first);
			return hello.version() >= 2 && StubAcceptor.holds(hello);
		}
		catch (ProtocolViolationException ex) {
			return false;
		}
	}

	/**
	 * Section 2.1, read here independently of {@link FieldList}: where the payload of the type starts after the field
	 * list at {@code start}, or -1 if the list breaks a rule (it does not fit, holds a key twice, or holds a critical key,
	 * none being defined for frames other than the handshake).
	 */
	private static int afterFieldList(byte[] stream, int start, int end) {
		if (end - start < 2) {
			return -1;
		}
		int listEnd = start + 2 + (((stream[start] & 0xFF) << 8) | (stream[start + 1] & 0xFF));
		if (listEnd > end) {
			return -1;
		}
		Set<Integer> keys = new HashSet<>();
		for (int at = start + 2; at < listEnd;) {
			if (listEnd - at < 4) {
				return -1;
			}
			int key = ((stream[at] & 0xFF) << 8) | (stream[at + 1] & 0xFF);
			int size = ((stream[at + 2] & 0xFF) << 8) | (stream[at + 3] & 0xFF);
			at += 4 + size;
			if (at > listEnd || !keys.add(key) || key >= FieldList.CRITICAL) {
				return -1;
			}
		}
		return listEnd;
	}

	/**
	 * Section 4.1 for a payload of version 1, read here independently of {@link Hello#fromFrame}.
	 */
	private static boolean validVersion1(byte[] payload) {
		ByteBuffer buffer = ByteBuffer.wrap(payload);
		if (buffer.remaining() < 2 + 1 + 8) {
			return false;
		}
		buffer.getShort();
		int channel = buffer.get();
		long session = buffer.getLong();
		byte[] linkId = shortBytes(buffer);
		byte[] credentials = shortBytes(buffer);
		byte[] token = shortBytes(buffer);
		if (linkId == null || credentials == null || token == null) {
			return false;
		}
		String id;
		try {
			id = UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(linkId))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return false;
		}
		return (channel == 1 || channel == 2) && session != 0 && linkId.length >= 1
				&& linkId.length <= Hello.MAX_LINK_ID_LENGTH && id.codePoints().noneMatch(WireFuzzTests::isControl)
				&& credentials.length == 0 && (token.length == 0 || token.length == Hello.TOKEN_LENGTH);
	}

	private static byte @Nullable [] shortBytes(ByteBuffer buffer) {
		if (buffer.remaining() < 2) {
			return null;
		}
		int length = Short.toUnsignedInt(buffer.getShort());
		if (buffer.remaining() < length) {
			return null;
		}
		byte[] bytes = new byte[length];
		buffer.get(bytes);
		return bytes;
	}

	private static boolean isControl(int codePoint) {
		return codePoint <= 0x1F || (codePoint >= 0x7F && codePoint <= 0x9F);
	}

	private static byte[] encode(EmbeddedChannel encoder, Frame frame) {
		assertThat(encoder.writeOutbound(frame)).isTrue();
		ByteBuf encoded = encoder.readOutbound();
		try {
			return ByteBufUtil.getBytes(encoded);
		}
		finally {
			encoded.release();
		}
	}

	/** The frames the server wrote, cut by a decoder of its own. */
	private static List<Frame> writtenFrames(EmbeddedChannel channel) {
		EmbeddedChannel reader = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_SIZE));
		for (ByteBuf written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
			reader.writeInbound(written);
		}
		List<Frame> frames = new ArrayList<>();
		for (Frame frame = reader.readInbound(); frame != null; frame = reader.readInbound()) {
			frames.add(frame);
		}
		assertThat(reader.finish()).as("a partial frame written").isFalse();
		return frames;
	}

	private static Frame frameAt(byte[] stream, int[] span) {
		FrameType type = FrameType.ofCode(stream[span[0] + Frame.LENGTH_PREFIX]);
		long id = ByteBuffer.wrap(stream, span[0] + Frame.LENGTH_PREFIX + 2, 8).getLong();
		int payload = (span.length > 2) ? span[2] : span[0] + Frame.LENGTH_PREFIX + Frame.HEADER_LENGTH;
		return new Frame(type, id, Arrays.copyOfRange(stream, payload, span[1]));
	}

	private static int compareFrames(Frame a, Frame b) {
		boolean same = a.type() == b.type() && a.id() == b.id() && Arrays.equals(a.payload(), b.payload());
		return same ? 0 : 1;
	}

	/**
	 * Section 2 of the protocol, read here independently of {@link FrameDecoder}: where each complete frame of a
	 * stream lies, and from which byte on a receiver must refuse the stream. With {@code fieldsAfterFirst} (a version-2
	 * handshake accepted by the first frame), a later frame with the FIELDS flag starts its payload with a field list
	 * (section 2.1), which must keep its rules.
	 */
	private static final class Reading {

		/**
		 * Start (of the length prefix) and end of each frame, in order, and where its payload starts after a field
		 * list (only for a frame read with header fields).
		 */
		final List<int[]> frames = new ArrayList<>();

		/** The number of bytes after which the refusal is due, or -1 if the stream breaks no rule. */
		int refusedAt = -1;

		static Reading of(byte[] stream, int firstLimit, int limit, boolean fieldsAfterFirst) {
			Reading reading = new Reading();
			int start = 0;
			int frameLimit = firstLimit;
			while (stream.length - start >= Frame.LENGTH_PREFIX) {
				long length = ByteBuffer.wrap(stream, start, Frame.LENGTH_PREFIX).getInt() & 0xFFFFFFFFL;
				if (length > frameLimit || length < Frame.HEADER_LENGTH) {
					reading.refusedAt = start + Frame.LENGTH_PREFIX;
					break;
				}
				int end = start + Frame.LENGTH_PREFIX + (int) length;
				if (end > stream.length) {
					break;
				}
				if (FrameType.ofCode(stream[start + Frame.LENGTH_PREFIX]) == null) {
					reading.refusedAt = end;
					break;
				}
				int flags = stream[start + Frame.LENGTH_PREFIX + 1] & 0xFF;
				if (fieldsAfterFirst && !reading.frames.isEmpty() && (flags & Frame.FLAG_FIELDS) != 0) {
					int payload = afterFieldList(stream, start + Frame.LENGTH_PREFIX + Frame.HEADER_LENGTH, end);
					if (payload < 0) {
						reading.refusedAt = end;
						break;
					}
					reading.frames.add(new int[] { start, end, payload });
				}
				else {
					reading.frames.add(new int[] { start, end });
				}
				start = end;
				frameLimit = limit;
			}
			return reading;
		}

		/** How many frames are complete within the first {@code fed} bytes. */
		int completeBy(int fed) {
			int complete = 0;
			while (complete < this.frames.size() && this.frames.get(complete)[1] <= fed) {
				complete++;
			}
			return complete;
		}

	}

	/** Lifts the decoder's limit before the handshake once the first frame is through, as an accepted HELLO does. */
	private static final class LiftLimitAfterFirstFrame extends ChannelInboundHandlerAdapter {

		private final FrameDecoder decoder;

		private boolean lifted;

		LiftLimitAfterFirstFrame(FrameDecoder decoder) {
			this.decoder = decoder;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!this.lifted) {
				this.lifted = true;
				// Version 1: the flags byte is ignored, so every frame re-encodes to what it consumed; the header
				// fields of version 2 have a target of their own.
				this.decoder.handshakeCompleted(1);
			}
			ctx.fireChannelRead(msg);
		}

	}

	/**
	 * The endpoint's side of section 4.4, for one session: an empty token opens a session, {@link #TOKEN} joins it,
	 * any other token names a session that has ended.
	 */
	private static final class StubAcceptor implements ServerHandshakeHandler.Acceptor {

		final List<Hello> asked = new ArrayList<>();

		static boolean holds(Hello hello) {
			return hello.token().length == 0 || Arrays.equals(hello.token(), TOKEN);
		}

		@Override
		public HandshakeDecision accept(Hello hello, Channel channel, boolean authenticated) {
			this.asked.add(hello);
			return holds(hello) ? HandshakeDecision.accept(TOKEN, () -> {
			}) : HandshakeDecision.reject(HelloReject.Reason.SESSION_ENDED, "no such session");
		}

	}

	/** Last in the pipeline, like the endpoint's error handler: records what arrives, closes on any failure. */
	private static final class Last extends ChannelInboundHandlerAdapter {

		final List<Frame> frames = new ArrayList<>();

		final List<Throwable> errors = new ArrayList<>();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.frames.add((Frame) msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.errors.add(cause);
			ctx.close();
		}

	}

}

package dev.dualsocket.iso8583;

import static dev.dualsocket.test.FuzzStreams.buffered;
import static dev.dualsocket.test.FuzzStreams.chunks;
import static dev.dualsocket.test.FuzzStreams.concat;
import static dev.dualsocket.test.FuzzStreams.hex;
import static dev.dualsocket.test.FuzzStreams.isProtocolViolation;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dualsocket.SocketRole;
import dev.dualsocket.codec.PayloadCodecException;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.ProtocolViolationException;
import dev.dualsocket.transport.RequestFields;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jpos.iso.packager.ISO87APackager;
import org.jpos.iso.packager.ISO87BPackager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzz tests of what an ISO 8583 peer controls: the bytes of a connection, cut by the {@link LengthHeader} and
 * translated into engine frames, and the payload the {@link Iso8583PayloadCodec} unpacks. Every build runs each test
 * on the empty input and on the files under
 * {@code src/test/resources/dev/dualsocket/iso8583/Iso8583FuzzTestsInputs/<method>/}; with {@code JAZZER_FUZZ=1}
 * Jazzer fuzzes the one test {@code -Dtest} names (see "Fuzzing" in the README).
 * <ul>
 * <li>{@link #pipeline}: a stream, cut into chunks of any size, fed to the pipeline {@link Iso8583Protocol#initConnection}
 * builds (length header of either kind, ISO87A or ISO87B packager, outbound or inbound socket; on the outbound one the
 * engine has a 0200 of STAN 000001, terminal TERM0001, in flight as request 7, on both a heartbeat with nonce 42).
 * Nothing escapes but a {@link ProtocolViolationException} (or a {@link DecoderException} wrapping one): on the very
 * chunk that completes a length header announcing more than the limit ({@code max-frame-size}, at most what the header
 * can hold), an empty message or (ASCII) a non-digit, or on a chunk that completes a message. After a refused header
 * the decoder holds none of the bytes past it, and what comes after puts out nothing and throws nothing, nor does the
 * close. Until then the decoder holds exactly the bytes of the message not yet complete. Every frame put out is one the
 * SPI allows on that socket ({@link dev.dualsocket.protocol.WireProtocol}): a {@code REQUEST} whose payload is a
 * message read whole, at most the limit, with its MTI as message type; a {@code RESPONSE} to request 7 and a
 * {@code HEARTBEAT_ACK} of nonce 42, each at most once and only where they were sent; {@code HEARTBEAT}s with
 * distinct ids and no payload; nothing else.</li>
 * <li>{@link #payloadCodec}: {@link Iso8583PayloadCodec#decode} of any bytes, with either packager, returns an
 * {@link ISOMsg} or throws {@link PayloadCodecException}.</li>
 * </ul>
 * A {@link FuzzedDataProvider} input of {@link #pipeline} holds the stream first; then, read backwards from its last
 * byte, a mode byte (bit 0: {@link LengthHeader#ASCII_4} rather than {@link LengthHeader#BINARY_2}; bit 1: the inbound
 * socket; bit 2: {@link ISO87BPackager}), and one byte per chunk, the first chunk's first, giving its length (1 to 255;
 * 0 counts as 1). So a seed that feeds a stream {@code S} in one chunk is {@code S}, then the byte {@code len(S)},
 * then the mode byte.
 */
class Iso8583FuzzTests {

	/** The max-frame-size of the link: below what either header can announce, and in reach of the fuzzer. */
	private static final int MAX_FRAME_SIZE = 1200;

	private static final ISOPackager[] PACKAGERS = { new ISO87APackager(), new ISO87BPackager() };

	private static final LinkSettings LINK = LinkSettings.builder().maxFrameSize(MAX_FRAME_SIZE).build();

	private static final long REQUEST_ID = 7;

	private static final long NONCE = 42;

	private static @Nullable Level translatorLogLevel;

	@BeforeAll
	static void quietDrops() {
		// The translator logs every unmatched response: one line per input would flood the fuzzing run.
		Logger logger = (Logger) LoggerFactory.getLogger(Iso8583Translator.class);
		translatorLogLevel = logger.getLevel();
		logger.setLevel(Level.ERROR);
	}

	@AfterAll
	static void restoreDrops() {
		((Logger) LoggerFactory.getLogger(Iso8583Translator.class)).setLevel(translatorLogLevel);
	}

	@FuzzTest
	void pipeline(FuzzedDataProvider data) throws Exception {
		int mode = data.consumeByte();
		LengthHeader header = ((mode & 1) != 0) ? LengthHeader.ASCII_4 : LengthHeader.BINARY_2;
		SocketRole socket = ((mode & 2) != 0) ? SocketRole.INBOUND : SocketRole.OUTBOUND;
		ISOPackager packager = PACKAGERS[(mode >> 2) & 1];
		List<byte[]> chunks = chunks(data);
		byte[] stream = concat(chunks);
		int limit = Math.min(MAX_FRAME_SIZE, header.maxLength());
		Reading expected = Reading.of(stream, header, limit);

		Iso8583Protocol protocol = new Iso8583Protocol(Iso8583Settings.of(packager).withHeader(header));
		EmbeddedChannel channel = new EmbeddedChannel();
		protocol.initConnection(channel, new ConnectionSetup(
				EndpointSettings.client("iso", "127.0.0.1", 1, "link-1", LINK).withProtocol(protocol), socket));
		Connections.usePeerRequestIds(channel, new AtomicLong());
		ByteToMessageDecoder decoder = channel.pipeline().get(Iso8583FrameDecoder.class);
		if (socket == SocketRole.OUTBOUND) {
			channel.writeOutbound(Frame.request(REQUEST_ID,
					Iso8583PayloadCodec.pack(packager, Iso8583CodecTests.message("0200", "000001", "TERM0001"))));
		}
		channel.writeOutbound(Frame.heartbeat(NONCE, new byte[8]));
		channel.releaseOutbound();

		int fed = 0;
		boolean refused = false;
		boolean answered = false;
		boolean acked = false;
		Set<Long> heartbeats = new HashSet<>();
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
			String where = " on bytes " + before + " to " + fed + " of " + hex(stream) + " (" + header + ", "
					+ socket + ", " + packager.getClass().getSimpleName() + ")";
			boolean refusalDue = !refused && expected.refusedAt > before && expected.refusedAt <= fed;
			boolean completed = expected.completeBy(fed) > expected.completeBy(before);
			if (thrown != null && !(isProtocolViolation(thrown) && (refusalDue || (!refused && completed)))) {
				throw new AssertionError("the pipeline threw" + where
						+ ((refused || !(refusalDue || completed)) ? "; no refusal was due there" : ""), thrown);
			}
			if (refusalDue && thrown == null) {
				throw new AssertionError("the pipeline did not refuse" + where + "; the header ending at byte "
						+ expected.refusedAt + " is to be refused");
			}
			for (Object read = channel.readInbound(); read != null; read = channel.readInbound()) {
				assertThat(refused).as("a frame put out after the refusal" + where).isFalse();
				assertThat(read).as("what the pipeline put out" + where).isInstanceOf(Frame.class);
				Frame frame = (Frame) read;
				switch (frame.type()) {
					case REQUEST -> {
						// Also on the outbound socket, where the engine's LinkChannelHandler refuses it as a violation.
						assertThat(frame.payload().length).isLessThanOrEqualTo(limit);
						assertThat(expected.holds(frame.payload(), fed)).as("a REQUEST of a message read whole" + where)
							.isTrue();
						ISOMsg message = Iso8583PayloadCodec.unpack(packager, frame.payload());
						assertThat(frame.fields().get(RequestFields.MESSAGE_TYPE))
							.isEqualTo(message.getMTI().getBytes(StandardCharsets.US_ASCII));
						assertThat(Mti.isResponse(message.getMTI())).isFalse();
					}
					case RESPONSE -> {
						assertThat(socket).as("socket of a RESPONSE" + where).isEqualTo(SocketRole.OUTBOUND);
						assertThat(frame.id()).isEqualTo(REQUEST_ID);
						assertThat(answered).as("request 7 answered twice" + where).isFalse();
						answered = true;
						assertThat(frame.payload().length).isLessThanOrEqualTo(limit);
						assertThat(expected.holds(frame.payload(), fed)).as("a RESPONSE of a message read whole" + where)
							.isTrue();
					}
					case HEARTBEAT_ACK -> {
						assertThat(frame.id()).isEqualTo(NONCE);
						assertThat(acked).as("heartbeat acknowledged twice" + where).isFalse();
						acked = true;
					}
					case HEARTBEAT -> {
						assertThat(frame.payload()).isEmpty();
						assertThat(heartbeats.add(frame.id())).as("heartbeat id repeated" + where).isTrue();
					}
					default -> throw new AssertionError("the pipeline put out a " + frame.type() + where);
				}
			}
			if (thrown != null && !refusalDue) {
				// A message the translator refused: the endpoint's error handler closes the connection here.
				break;
			}
			refused |= refusalDue;
			int buffered = buffered(decoder);
			if (refused) {
				assertThat(buffered).as("bytes the decoder holds after the refusal" + where).isZero();
			}
			else {
				assertThat(buffered).as("bytes the decoder holds" + where).isEqualTo(fed - expected.consumedBy(fed));
			}
		}
		try {
			channel.finishAndReleaseAll();
		}
		catch (Throwable ex) {
			throw new AssertionError("closing the connection threw, after " + hex(stream), ex);
		}
	}

	@FuzzTest
	void payloadCodec(byte[] bytes) {
		for (ISOPackager packager : PACKAGERS) {
			Iso8583PayloadCodec codec = new Iso8583PayloadCodec(packager);
			assertThat(codec.decode(bytes, byte[].class)).isSameAs(bytes);
			for (Class<?> type : List.of(ISOMsg.class, Object.class)) {
				Object decoded;
				try {
					decoded = codec.decode(bytes, type);
				}
				catch (PayloadCodecException ex) {
					assertThat(ex.getMessage()).isNotBlank();
					continue;
				}
				assertThat(decoded).as("decoded " + hex(bytes)).isInstanceOf(ISOMsg.class);
			}
		}
	}

	/**
	 * The framing, read here independently of {@link Iso8583FrameDecoder}: where each complete message of a stream
	 * lies, and after which byte a receiver must refuse the stream.
	 */
	private static final class Reading {

		/** Start (after the header) and end of each message, in order. */
		final List<int[]> messages = new ArrayList<>();

		/** The number of bytes after which the refusal is due, or -1 if the stream breaks no rule of the framing. */
		int refusedAt = -1;

		private byte[] stream = new byte[0];

		static Reading of(byte[] stream, LengthHeader header, int limit) {
			Reading reading = new Reading();
			reading.stream = stream;
			int start = 0;
			while (stream.length - start >= header.bytes()) {
				int length = 0;
				for (int i = 0; i < header.bytes(); i++) {
					int b = stream[start + i] & 0xFF;
					if (header == LengthHeader.BINARY_2) {
						length = (length << 8) | b;
					}
					else if (b >= '0' && b <= '9') {
						length = length * 10 + (b - '0');
					}
					else {
						length = -1;
						break;
					}
				}
				if (length < 1 || length > limit) {
					reading.refusedAt = start + header.bytes();
					break;
				}
				int end = start + header.bytes() + length;
				if (end > stream.length) {
					break;
				}
				reading.messages.add(new int[] { start + header.bytes(), end });
				start = end;
			}
			return reading;
		}

		/** How many messages are complete within the first {@code fed} bytes. */
		int completeBy(int fed) {
			int complete = 0;
			while (complete < this.messages.size() && this.messages.get(complete)[1] <= fed) {
				complete++;
			}
			return complete;
		}

		/** Where the last message complete within the first {@code fed} bytes ends. */
		int consumedBy(int fed) {
			int complete = completeBy(fed);
			return (complete == 0) ? 0 : this.messages.get(complete - 1)[1];
		}

		/** Whether bytes are those of a message complete within the first {@code fed} bytes. */
		boolean holds(byte[] message, int fed) {
			for (int i = 0; i < completeBy(fed); i++) {
				int[] span = this.messages.get(i);
				if (Arrays.equals(this.stream, span[0], span[1], message, 0, message.length)) {
					return true;
				}
			}
			return false;
		}

	}

}

package dev.dualsocket.smpp;

import static dev.dualsocket.test.FuzzStreams.buffered;
import static dev.dualsocket.test.FuzzStreams.chunks;
import static dev.dualsocket.test.FuzzStreams.concat;
import static dev.dualsocket.test.FuzzStreams.hex;
import static dev.dualsocket.test.FuzzStreams.isProtocolViolation;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dualsocket.codec.PayloadCodecException;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.protocol.JoinRequest;
import dev.dualsocket.protocol.ServerHandshake;
import dev.dualsocket.test.FuzzStreams;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.ProtocolViolationException;
import dev.dualsocket.transport.RequestFields;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DataSmResp;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliverSmResp;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.SubmitSmResp;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzz tests of what an SMPP peer controls: the PDU stream of a bound connection, the server's bind before it, and the
 * payload {@link SmppPayloadCodec} reads. Every build runs each test on the empty input and on the files under
 * {@code src/test/resources/dev/dualsocket/smpp/SmppFuzzTestsInputs/<method>/}; with {@code JAZZER_FUZZ=1} Jazzer
 * fuzzes the one test {@code -Dtest} names (see "Fuzzing" in the README).
 * <ul>
 * <li>{@link #pdus}: a stream, cut into chunks of any size, fed to a bound connection's {@link PduDecoder} and
 * {@link SmppCodec}, on which the engine has an {@code enquire_link} (nonce 42, sequence_number 1) and a
 * {@code submit_sm} (request 7, sequence_number 2) out. Nothing escapes but a {@link ProtocolViolationException} (or a
 * {@link DecoderException} wrapping one): on the very chunk that completes a command_length below 16 or above
 * max-frame-size, or on a chunk that completes a PDU. After a refused command_length the decoder holds nothing, and
 * what follows puts out nothing and throws nothing, nor does the close; until then it holds exactly the bytes of the
 * PDU not yet complete. Every frame put out is one the SPI allows ({@link dev.dualsocket.protocol.WireProtocol}): a
 * {@code REQUEST} of a whole request PDU SMPP 3.4 names, with its name as message type; one answer
 * ({@code RESPONSE} of a PDU with sequence_number 2, or {@code ERROR} for a generic_nack of it) to request 7; one
 * {@code HEARTBEAT_ACK} of nonce 42; {@code HEARTBEAT}s of the peer's sequence numbers, without payload;
 * {@code CLOSE}; nothing else.</li>
 * <li>{@link #bind}: a chunked stream fed to the server's pipeline before the bind ({@link PduDecoder},
 * {@link SmppCodec}, {@link ServerBindHandler} of an SMSC whose one account is {@value #SYSTEM_ID} /
 * {@value #PASSWORD}, and last a handler that records and closes on failures, as the endpoint's error handler does).
 * Once the stream is in and the handshake timeout has run out: the endpoint was asked ({@link ServerHandshake#decide})
 * at most once, and only if the first PDU is a bind_transmitter or bind_receiver of at most 1 KiB whose system_id
 * and password are the account's; it is asked whenever the first PDU is such a bind, well-formed; the connection is
 * attached only then, after a bind_resp of ESME_ROK with the bind's sequence_number. Otherwise at most a negative
 * bind_resp is written and the connection is closed. A command_length above 1 KiB before the bind is refused at once.
 * No frame passes before an accept; the handshake is given back exactly once; nothing but protocol violations reaches
 * the last handler.</li>
 * <li>{@link #payloadCodec}: {@link SmppPayloadCodec#decode} of any bytes to each type it knows returns a value of
 * that type or throws {@link PayloadCodecException}.</li>
 * </ul>
 * A {@link FuzzedDataProvider} input of {@link #pdus} or {@link #bind} holds the stream first; then, read backwards
 * from its last byte, one byte per chunk, the first chunk's first, giving its length (1 to 255; 0 counts as 1). So a
 * seed that feeds a stream {@code S} in one chunk is {@code S}, then the byte {@code len(S)}.
 */
class SmppFuzzTests {

	/** The max-frame-size of the decoders: above the limit before the bind, and in reach of the fuzzer. */
	private static final int MAX_FRAME_SIZE = 1200;

	static final String SYSTEM_ID = "esme1";

	static final String PASSWORD = "secret";

	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

	private static final SmppSettings SMSC = SmppSettings.server(Map.of(SYSTEM_ID, PASSWORD), "smsc");

	private static final long REQUEST_ID = 7;

	private static final long NONCE = 42;

	private static final List<String> QUIET = List.of(SmppCodec.class.getName(), ServerBindHandler.class.getName());

	private static final List<@Nullable Level> levels = new ArrayList<>();

	@BeforeAll
	static void quietDrops() {
		// Dropped PDUs and refused binds are logged at INFO: one line per input would flood the fuzzing run.
		for (String name : QUIET) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			levels.add(logger.getLevel());
			logger.setLevel(Level.ERROR);
		}
	}

	@AfterAll
	static void restoreDrops() {
		for (int i = 0; i < QUIET.size(); i++) {
			((Logger) LoggerFactory.getLogger(QUIET.get(i))).setLevel(levels.get(i));
		}
		levels.clear();
	}

	@FuzzTest
	void pdus(FuzzedDataProvider data) throws Exception {
		List<byte[]> chunks = chunks(data);
		byte[] stream = concat(chunks);
		Reading expected = Reading.of(stream, MAX_FRAME_SIZE, MAX_FRAME_SIZE);
		PduDecoder decoder = new PduDecoder(MAX_FRAME_SIZE);
		decoder.bound();
		SmppCodec codec = new SmppCodec();
		codec.bound();
		EmbeddedChannel channel = new EmbeddedChannel(decoder, codec);
		Connections.usePeerRequestIds(channel, new AtomicLong());
		channel.writeOutbound(Frame.heartbeat(NONCE, new byte[8]));
		channel.writeOutbound(Frame.request(REQUEST_ID, new SmppPayloadCodec().encode(new SubmitSm())));
		channel.releaseOutbound();

		int fed = 0;
		boolean refused = false;
		boolean answered = false;
		boolean acked = false;
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
			String where = " on bytes " + before + " to " + fed + " of " + hex(stream);
			boolean refusalDue = !refused && expected.refusedAt > before && expected.refusedAt <= fed;
			boolean completed = expected.completeBy(fed) > expected.completeBy(before);
			if (thrown != null && !(isProtocolViolation(thrown) && (refusalDue || (!refused && completed)))) {
				throw new AssertionError("the pipeline threw" + where
						+ ((refused || !(refusalDue || completed)) ? "; no refusal was due there" : ""), thrown);
			}
			if (refusalDue && thrown == null) {
				throw new AssertionError("the pipeline did not refuse" + where + "; the command_length ending at byte "
						+ expected.refusedAt + " is to be refused");
			}
			for (Object read = channel.readInbound(); read != null; read = channel.readInbound()) {
				assertThat(refused).as("a frame put out after the refusal" + where).isFalse();
				assertThat(read).as("what the pipeline put out" + where).isInstanceOf(Frame.class);
				Frame frame = (Frame) read;
				switch (frame.type()) {
					case REQUEST -> {
						byte[] pdu = frame.payload();
						assertThat(expected.holds(pdu, fed)).as("a REQUEST of a PDU read whole" + where).isTrue();
						String name = Pdus.requestName(Pdus.commandId(pdu));
						assertThat(name).as("the REQUEST's command" + where).isNotNull();
						assertThat(frame.fields().get(RequestFields.MESSAGE_TYPE))
							.isEqualTo(name.getBytes(StandardCharsets.US_ASCII));
					}
					case RESPONSE, ERROR -> {
						assertThat(frame.id()).isEqualTo(REQUEST_ID);
						assertThat(answered).as("request 7 answered twice" + where).isFalse();
						answered = true;
						if (frame.type() == FrameType.RESPONSE) {
							assertThat(expected.holds(frame.payload(), fed)).as("a RESPONSE of a PDU read whole" + where)
								.isTrue();
							assertThat(Pdus.sequenceNumber(frame.payload())).isEqualTo(2);
							assertThat(Pdus.isResponse(Pdus.commandId(frame.payload()))).isTrue();
						}
					}
					case HEARTBEAT_ACK -> {
						assertThat(frame.id()).isEqualTo(NONCE);
						assertThat(acked).as("enquire_link answered twice" + where).isFalse();
						acked = true;
					}
					case HEARTBEAT -> {
						assertThat(frame.payload()).isEmpty();
						assertThat(frame.id()).isBetween(0L, 0xFFFFFFFFL);
					}
					case CLOSE -> {
						// unbind
					}
					default -> throw new AssertionError("the pipeline put out a " + frame.type() + where);
				}
			}
			channel.releaseOutbound();
			if (thrown != null && !refusalDue) {
				// A PDU the codec refused: the endpoint's error handler closes the connection here.
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
	void bind(FuzzedDataProvider data) {
		List<byte[]> chunks = chunks(data);
		byte[] stream = concat(chunks);
		Reading expected = Reading.of(stream, PduDecoder.MAX_BIND_PDU_LENGTH, MAX_FRAME_SIZE);
		RecordingHandshake handshake = new RecordingHandshake();
		Last last = new Last();
		EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(MAX_FRAME_SIZE), new SmppCodec(),
				new ServerBindHandler(handshake, SMSC), last);
		Connections.usePeerRequestIds(channel, new AtomicLong());
		channel.freezeTime();
		for (byte[] chunk : chunks) {
			if (!channel.isOpen()) {
				break;
			}
			try {
				channel.writeInbound(Unpooled.wrappedBuffer(chunk));
			}
			catch (Throwable ex) {
				throw new AssertionError("exception escaped the pipeline on " + hex(stream), ex);
			}
		}
		channel.advanceTimeBy(HANDSHAKE_TIMEOUT.toNanos() + 1, TimeUnit.NANOSECONDS);
		channel.runScheduledPendingTasks();
		channel.runPendingTasks();
		List<byte[]> written = written(channel);
		String what = " after " + hex(stream);

		assertThat(last.errors).as("failures that reached the last handler" + what)
			.allMatch(FuzzStreams::isProtocolViolation);
		assertThat(handshake.finished).as("times the handshake was given back" + what).isEqualTo(1);
		assertThat(handshake.asked).as("binds the endpoint was asked about" + what).hasSizeLessThanOrEqualTo(1);
		byte[] first = expected.pdus.isEmpty() ? null : Arrays.copyOfRange(stream, 0, expected.pdus.get(0)[1]);
		boolean goodBind = first != null && wellFormedBindOfTheAccount(first);
		if (!handshake.asked.isEmpty()) {
			assertThat(first).as("the first PDU, a bind the endpoint was asked about" + what).isNotNull();
			assertThat(first.length).isLessThanOrEqualTo(PduDecoder.MAX_BIND_PDU_LENGTH);
			assertThat(Pdus.commandId(first)).isIn(Pdus.BIND_TRANSMITTER, Pdus.BIND_RECEIVER);
			List<byte[]> strings = cStrings(first, 2);
			assertThat(strings).as("system_id and password of the bind the endpoint was asked about" + what)
				.hasSize(2);
			assertThat(new String(strings.get(0), StandardCharsets.ISO_8859_1)).isEqualTo(SYSTEM_ID);
			assertThat(new String(strings.get(1), StandardCharsets.ISO_8859_1)).isEqualTo(PASSWORD);
			JoinRequest asked = handshake.asked.get(0);
			assertThat(asked.linkId()).isEqualTo(SYSTEM_ID);
			assertThat(asked.channel()).isEqualTo((Pdus.commandId(first) == Pdus.BIND_TRANSMITTER)
					? ChannelKind.CLIENT_OUTBOUND : ChannelKind.CLIENT_INBOUND);
			assertThat(handshake.attached).as("attached").isEqualTo(1);
			assertThat(written).as("PDUs written" + what).isNotEmpty();
			byte[] answer = written.get(0);
			assertThat(Pdus.commandId(answer)).isEqualTo(Pdus.commandId(first) | Pdus.RESPONSE_BIT);
			assertThat(Pdus.commandStatus(answer)).isEqualTo(Pdus.ESME_ROK);
			assertThat(Pdus.sequenceNumber(answer)).isEqualTo(Pdus.sequenceNumber(first));
			assertThat(last.errors).as("failures after an accepted bind" + what).allSatisfy((ex) ->
				assertThat(expected.pdus.size() > 1 || expected.refusedAt >= 0).isTrue());
		}
		else {
			assertThat(goodBind).as("a well-formed bind of the account refused" + what).isFalse();
			assertThat(handshake.attached).as("attached without a decision").isZero();
			assertThat(last.frames).as("frames passed on without a bind" + what).isEmpty();
			assertThat(written).as("PDUs written to a connection not bound" + what).hasSizeLessThanOrEqualTo(1)
				.allSatisfy((pdu) -> {
					assertThat(pdu).hasSize(Pdus.HEADER_LENGTH);
					assertThat(Pdus.commandStatus(pdu)).isNotEqualTo(Pdus.ESME_ROK);
					assertThat(Pdus.commandId(pdu)).isEqualTo(Pdus.commandId(first) | Pdus.RESPONSE_BIT);
				});
			assertThat(channel.isOpen()).as("connection open without a bind once the timeout ran out" + what).isFalse();
		}
		if (expected.refusedAt >= 0 && expected.pdus.isEmpty()) {
			// The first command_length was refused: before the bind, above 1 KiB; nothing was answered.
			assertThat(written).as("PDUs written after a refused first command_length" + what).isEmpty();
		}
		channel.finishAndReleaseAll();
	}

	@FuzzTest
	void payloadCodec(byte[] bytes) {
		SmppPayloadCodec codec = new SmppPayloadCodec();
		assertThat(codec.decode(bytes, byte[].class)).isSameAs(bytes);
		for (Type type : List.of(Command.class, SubmitSm.class, DeliverSm.class, DataSm.class, SubmitSmResp.class,
				DeliverSmResp.class, DataSmResp.class, String.class)) {
			Object decoded;
			try {
				decoded = codec.decode(bytes, type);
			}
			catch (PayloadCodecException ex) {
				assertThat(ex.getMessage()).isNotBlank();
				continue;
			}
			assertThat(decoded).as("decoded " + hex(bytes) + " as " + type).isInstanceOf((Class<?>) type);
			assertThat(Pdus.notWhole(bytes)).as("decoded " + hex(bytes) + ", not one whole PDU").isNull();
		}
	}

	/**
	 * SMPP 3.4, 4.1, read here independently of jSMPP: a bind_transmitter or bind_receiver whose body is exactly
	 * system_id, password, system_type (C-octet strings of at most 16, 9 and 13 octets), interface_version, addr_ton,
	 * addr_npi and address_range (at most 41), with the account's system_id and password.
	 */
	private static boolean wellFormedBindOfTheAccount(byte[] pdu) {
		int command = Pdus.commandId(pdu);
		if (command != Pdus.BIND_TRANSMITTER && command != Pdus.BIND_RECEIVER) {
			return false;
		}
		int at = Pdus.HEADER_LENGTH;
		int[] max = { 16, 9, 13 };
		List<byte[]> strings = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			int end = nul(pdu, at);
			if (end < 0 || end - at + 1 > max[i]) {
				return false;
			}
			strings.add(Arrays.copyOfRange(pdu, at, end));
			at = end + 1;
		}
		at += 3;
		if (at > pdu.length) {
			return false;
		}
		int end = nul(pdu, at);
		if (end < 0 || end - at + 1 > 41 || end != pdu.length - 1) {
			return false;
		}
		return Arrays.equals(strings.get(0), SYSTEM_ID.getBytes(StandardCharsets.US_ASCII))
				&& Arrays.equals(strings.get(1), PASSWORD.getBytes(StandardCharsets.US_ASCII));
	}

	/** The first {@code count} C-octet strings of a PDU's body, fewer if it ends first. */
	private static List<byte[]> cStrings(byte[] pdu, int count) {
		List<byte[]> strings = new ArrayList<>();
		int at = Pdus.HEADER_LENGTH;
		while (strings.size() < count) {
			int end = nul(pdu, at);
			if (end < 0) {
				break;
			}
			strings.add(Arrays.copyOfRange(pdu, at, end));
			at = end + 1;
		}
		return strings;
	}

	private static int nul(byte[] bytes, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == 0) {
				return i;
			}
		}
		return -1;
	}

	/** The PDUs written to the peer, each a buffer of its own. */
	private static List<byte[]> written(EmbeddedChannel channel) {
		List<byte[]> pdus = new ArrayList<>();
		for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
			try {
				pdus.add(ByteBufUtil.getBytes(out));
			}
			finally {
				out.release();
			}
		}
		return pdus;
	}

	/**
	 * The framing of SMPP 3.4, 3.1, read here independently of {@link PduDecoder}: where each complete PDU of a stream
	 * lies, and after which byte a receiver must refuse the stream. The first PDU is read with a limit of its own.
	 */
	private static final class Reading {

		/** Start and end of each PDU, in order. */
		final List<int[]> pdus = new ArrayList<>();

		/** The number of bytes after which the refusal is due, or -1 if the stream breaks no rule of the framing. */
		int refusedAt = -1;

		private byte[] stream = new byte[0];

		static Reading of(byte[] stream, int firstLimit, int limit) {
			Reading reading = new Reading();
			reading.stream = stream;
			int start = 0;
			int pduLimit = firstLimit;
			while (stream.length - start >= 4) {
				long length = ((stream[start] & 0xFFL) << 24) | ((stream[start + 1] & 0xFF) << 16)
						| ((stream[start + 2] & 0xFF) << 8) | (stream[start + 3] & 0xFF);
				if (length < 16 || length > pduLimit) {
					reading.refusedAt = start + 4;
					break;
				}
				int end = start + (int) length;
				if (end > stream.length) {
					break;
				}
				reading.pdus.add(new int[] { start, end });
				start = end;
				pduLimit = limit;
			}
			return reading;
		}

		int completeBy(int fed) {
			int complete = 0;
			while (complete < this.pdus.size() && this.pdus.get(complete)[1] <= fed) {
				complete++;
			}
			return complete;
		}

		int consumedBy(int fed) {
			int complete = completeBy(fed);
			return (complete == 0) ? 0 : this.pdus.get(complete - 1)[1];
		}

		boolean holds(byte[] pdu, int fed) {
			for (int i = 0; i < completeBy(fed); i++) {
				int[] span = this.pdus.get(i);
				if (Arrays.equals(this.stream, span[0], span[1], pdu, 0, pdu.length)) {
					return true;
				}
			}
			return false;
		}

	}

	/** The endpoint's side of the bind: records what it is asked, accepts every bind it is asked about. */
	private static final class RecordingHandshake implements ServerHandshake {

		final List<JoinRequest> asked = new ArrayList<>();

		int attached;

		int finished;

		@Override
		public EndpointSettings endpoint() {
			throw new UnsupportedOperationException("the bind handler does not read the endpoint's settings");
		}

		@Override
		public @Nullable ChannelKind channelByPort() {
			return null;
		}

		@Override
		public Duration timeout() {
			return HANDSHAKE_TIMEOUT;
		}

		@Override
		public HandshakeDecision decide(Channel channel, JoinRequest request) {
			this.asked.add(request);
			return HandshakeDecision.accept(new byte[0], () -> this.attached++);
		}

		@Override
		public void finished() {
			this.finished++;
		}

	}

	/** Last in the pipeline, like the endpoint's error handler: records what arrives, closes on any failure. */
	private static final class Last extends ChannelInboundHandlerAdapter {

		final List<Frame> frames = new ArrayList<>();

		final List<Object> other = new ArrayList<>();

		final List<Throwable> errors = new ArrayList<>();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof Frame frame) {
				this.frames.add(frame);
			}
			else {
				this.other.add(msg);
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.errors.add(cause);
			ctx.close();
		}

	}

}

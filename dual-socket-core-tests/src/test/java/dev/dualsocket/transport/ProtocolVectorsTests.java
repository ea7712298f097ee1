package dev.dualsocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import dev.dualsocket.RemoteRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The hex examples of {@code docs/PROTOCOL.md} are what the codec writes and reads: each vector is checked against the
 * document's text and against the encoder, so neither can drift from the other.
 */
class ProtocolVectorsTests {

	private static final long SESSION = 0x1122334455667788L;

	private static final byte[] TOKEN = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

	@Test
	void openingHelloMatchesTheDocument() throws IOException {
		assertVector(new Hello(1, ChannelKind.ofCode(1), SESSION, "orders-1", new byte[0], FieldList.EMPTY).toFrame(),
				"00 00 00 23 01 00 00 00 00 00 00 00 00 00 | 00 01 | 01 | 11 22 33 44 55 66 77 88 | 00 08 6f 72 64 65 72 73 "
						+ "2d 31 | 00 00 | 00 00");
	}

	@Test
	void joiningHelloCarriesTheSessionToken() throws IOException {
		Frame frame = new Hello(1, ChannelKind.ofCode(2), SESSION, "orders-1", TOKEN, FieldList.EMPTY).toFrame();
		assertVector(frame, "00 00 00 33 01 00 00 00 00 00 00 00 00 00 | 00 01 | 02 | 11 22 33 44 55 66 77 88 | 00 08 6f "
				+ "72 64 65 72 73 2d 31 | 00 00\n  | 00 10 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
		assertThat(Hello.fromFrame(frame).token()).isEqualTo(TOKEN);
	}

	@Test
	void helloAcceptCarriesTheSessionToken() throws IOException {
		Frame frame = new HelloAccept(1, TOKEN, FieldList.EMPTY).toFrame();
		assertVector(frame,
				"00 00 00 1e 02 00 00 00 00 00 00 00 00 00 | 00 01 | 00 10 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
		assertThat(HelloAccept.fromFrame(frame).token()).isEqualTo(TOKEN);
	}

	@Test
	void duplicateExpiredErrorMatchesTheDocument() throws IOException {
		Frame frame = new ErrorReply(RemoteRequestException.Reason.DUPLICATE_EXPIRED, "expired").toFrame(7);
		assertVector(frame, "00 00 00 13 12 00 00 00 00 00 00 00 00 07 | 00 05 | 65 78 70 69 72 65 64");
		assertThat(ErrorReply.fromFrame(frame).reason()).isEqualTo(RemoteRequestException.Reason.DUPLICATE_EXPIRED);
	}

	@Test
	void malformedHelloRejectMatchesTheDocument() throws IOException {
		Frame frame = new HelloReject(HelloReject.Reason.MALFORMED_HELLO, "session 0").toFrame();
		assertVector(frame, "00 00 00 15 03 00 00 00 00 00 00 00 00 00 | 00 02 | 73 65 73 73 69 6f 6e 20 30");
		assertThat(HelloReject.fromFrame(frame).reason()).isEqualTo(HelloReject.Reason.MALFORMED_HELLO);
	}

	@Test
	void linkLimitRejectMatchesTheDocument() throws IOException {
		Frame frame = new HelloReject(HelloReject.Reason.LINK_LIMIT, "full").toFrame();
		assertVector(frame, "00 00 00 10 03 00 00 00 00 00 00 00 00 00 | 00 06 | 66 75 6c 6c");
		assertThat(HelloReject.fromFrame(frame).reason()).isEqualTo(HelloReject.Reason.LINK_LIMIT);
	}

	@Test
	void linkInUseRejectMatchesTheDocument() throws IOException {
		Frame frame = new HelloReject(HelloReject.Reason.LINK_IN_USE, "in use").toFrame();
		assertVector(frame, "00 00 00 12 03 00 00 00 00 00 00 00 00 00 | 00 07 | 69 6e 20 75 73 65");
		assertThat(HelloReject.fromFrame(frame).reason()).isEqualTo(HelloReject.Reason.LINK_IN_USE);
	}

	@Test
	void version2HelloAndAcceptMatchTheDocument() throws IOException {
		Frame hello = Hello.of(ChannelKind.ofCode(1), SESSION, "orders-1", new byte[0], null).toFrame();
		assertVector(hello, "00 00 00 2d 01 00 00 00 00 00 00 00 00 00 | 00 02 | 01 | 11 22 33 44 55 66 77 88 | 00 08 6f "
				+ "72 64 65 72 73 2d 31 | 00 00\n  | 00 00 | 00 08 00 01 00 04 00 00 00 06");
		assertThat(Hello.fromFrame(hello).clientNonce()).isNull();
		assertThat(Hello.fromFrame(hello).capabilities())
			.isEqualTo(Hello.CAPABILITY_QUIESCE | Hello.CAPABILITY_REQUEST_KEYS);
		assertThat(Hello.fromFrame(hello).epoch()).isZero();
		HelloAccept accept = HelloAccept.answering(Hello.fromFrame(hello), TOKEN, null);
		assertVector(accept.toFrame(), "00 00 00 28 02 00 00 00 00 00 00 00 00 00 | 00 02 | 00 10 00 11 22 33 44 55 66 77 "
				+ "88 99 aa bb cc dd ee ff\n  | 00 08 00 01 00 04 00 00 00 03");
		assertThat(HelloAccept.fromFrame(accept.toFrame()).serverProof()).isNull();
	}

	@Test
	void fencingEpochsMatchTheDocument() throws IOException {
		Frame hello = Hello.of(ChannelKind.ofCode(1), SESSION, "orders-1", new byte[0], null, 7).toFrame();
		assertVector(hello, "00 00 00 39 01 00 00 00 00 00 00 00 00 00 | 00 02 | 01 | 11 22 33 44 55 66 77 88 | 00 08 6f "
				+ "72 64 65 72 73 2d 31 | 00 00\n  | 00 00 | 00 14 00 01 00 04 00 00 00 06 00 04 00 08 00 00 00 00 00 00 00 07");
		assertThat(Hello.fromFrame(hello).epoch()).isEqualTo(7);
		HelloAccept accept = HelloAccept.answering(Hello.fromFrame(hello), TOKEN, null, 3, true);
		assertVector(accept.toFrame(), "00 00 00 34 02 00 00 00 00 00 00 00 00 00 | 00 02 | 00 10 00 11 22 33 44 55 66 77 "
				+ "88 99 aa bb cc dd ee ff\n  | 00 14 00 01 00 04 00 00 00 07 00 04 00 08 00 00 00 00 00 00 00 03");
		HelloAccept read = HelloAccept.fromFrame(accept.toFrame());
		assertThat(read.epoch()).isEqualTo(3);
		assertThat(read.capabilities() & Hello.CAPABILITY_REQUEST_KEYS).isNotZero();
		assertVector(new HelloReject(HelloReject.Reason.STALE_EPOCH, "stale epoch").toFrame(),
				"00 00 00 17 03 00 00 00 00 00 00 00 00 00 | 00 08 | 73 74 61 6c 65 20 65 70 6f 63 68");
		assertThat(HelloReject.fromFrame(new HelloReject(HelloReject.Reason.STALE_EPOCH, "x").toFrame()).reason())
			.isEqualTo(HelloReject.Reason.STALE_EPOCH);
	}

	@Test
	void aNegativeEpochIsAMalformedHello() {
		Hello negative = Hello.of(ChannelKind.ofCode(1), SESSION, "orders-1", new byte[0], null, 1);
		byte[] payload = negative.toFrame().payload();
		payload[payload.length - 8] = (byte) 0x80;
		assertThatThrownBy(() -> Hello.fromFrame(new Frame(FrameType.HELLO, 0, payload)))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessageContaining("epoch");
	}

	@Test
	void requestKeyExampleMatchesTheDocument() throws IOException {
		byte[] key = new dev.dualsocket.ha.RequestKey(SESSION, 42).toBytes();
		assertThat(HexFormat.of().formatHex(key)).isEqualTo("1122334455667788000000000000002a");
		assertThat(dev.dualsocket.ha.RequestKey.fromBytes(key)).isEqualTo(new dev.dualsocket.ha.RequestKey(SESSION, 42));
		Frame frame = new Frame(FrameType.REQUEST, 3, "ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
				FieldList.builder().put(RequestFields.REQUEST_KEY, key).build());
		assertVector(frame, "00 00 00 24 10 01 00 00 00 00 00 00 00 03 | 00 14 00 04 00 10 11 22 33 44 55 66 77 88 00 00 "
				+ "00 00 00 00 00 2a\n  | 70 69 6e 67");
		Frame read = decodeOn(2, "00000024100100000000000000030014000400101122334455667788000000000000002a70696e67");
		assertThat(read.fields().get(RequestFields.REQUEST_KEY)).isEqualTo(key);
		RequestFields.check(read.fields());
		assertThatThrownBy(() -> RequestFields.check(FieldList.builder()
			.put(RequestFields.REQUEST_KEY, new byte[15])
			.build())).isInstanceOf(ProtocolViolationException.class);
	}

	@Test
	void authenticationExampleMatchesTheDocument() throws IOException {
		byte[] secret = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] clientNonce = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
		byte[] serverNonce = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
		// Capabilities 1, as a client that authenticates and does not quiesce sends them.
		Frame hello = new Hello(2, ChannelKind.ofCode(1), SESSION, "orders-1", new byte[0], FieldList.builder()
			.putInt(Hello.FIELD_CAPABILITIES, Hello.CAPABILITY_HMAC_SHA256)
			.put(Hello.FIELD_CLIENT_NONCE, clientNonce)
			.build()).toFrame();
		assertVector(hello, "00 00 00 41 01 00 00 00 00 00 00 00 00 00 | 00 02 | 01 | 11 22 33 44 55 66 77 88 | 00 08 6f "
				+ "72 64 65 72 73 2d 31 | 00 00\n  | 00 00 | 00 1c 00 01 00 04 00 00 00 01 00 02 00 10 00 01 02 03 04 05 06 "
				+ "07 08 09 0a 0b 0c 0d 0e 0f");
		assertThat(Hello.fromFrame(hello).clientNonce()).isEqualTo(clientNonce);
		assertVector(new HelloChallenge(serverNonce, FieldList.EMPTY).toFrame(),
				"00 00 00 1c 04 00 00 00 00 00 00 00 00 00 | f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff | 00 00");
		byte[] clientProof = Authentication.clientProof(secret, serverNonce, clientNonce, hello.payload());
		assertVector(new HelloProof(clientProof).toFrame(), "00 00 00 2a 05 00 00 00 00 00 00 00 00 00 | 01 d0 18 96 ea "
				+ "15 f0 2e df a0 e6 0e 0c 78 0e cb 0f c6 73 03 8d 5e 2d b3\n  90 e7 94 cb 40 65 88 ff");
		byte[] serverProof = Authentication.serverProof(secret, clientNonce, serverNonce, hello.payload(), TOKEN);
		Frame accept = new HelloAccept(2, TOKEN, FieldList.builder()
			.putInt(Hello.FIELD_CAPABILITIES, Hello.CAPABILITY_HMAC_SHA256)
			.put(HelloAccept.FIELD_SERVER_PROOF, serverProof)
			.build()).toFrame();
		assertVector(accept, "00 00 00 4c 02 00 00 00 00 00 00 00 00 00 | 00 02 | 00 10 00 11 22 33 44 55 66 77 88 99 "
				+ "aa bb cc dd ee ff\n  | 00 2c 00 01 00 04 00 00 00 01 00 03 00 20 33 3c e2 2d 5b 2d 69 f2 47 ff df 64 c2 d7 "
				+ "2e 81 82 3b 34 2e f8 b1 6a ae\n  eb ee eb 9a 00 8e f0 45");
		assertThat(HelloAccept.fromFrame(accept).serverProof()).isEqualTo(serverProof);
	}

	@Test
	void headerFieldExampleMatchesTheDocumentAndIsSkipped() throws IOException {
		Frame frame = new Frame(FrameType.REQUEST, 42, "ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
				FieldList.builder().put(0x7f01, "ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build());
		assertVector(frame, "00 00 00 16  10  01  00 00 00 00 00 00 00 2a  00 06 | 7f 01 00 02 61 62  70 69 6e 67");
		Frame read = decodeOn(2, "000000161001000000000000002a00067f010002616270696e67");
		assertThat(new String(read.payload(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ping");
		assertThat(read.fields().get(0x7f01)).isEqualTo("ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
	}

	@Test
	void messageTypeExampleMatchesTheDocument() throws IOException {
		Frame frame = new Frame(FrameType.REQUEST, 42, "ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
				dev.dualsocket.link.RequestHeaders.ofType("quote").toFields());
		assertVector(frame, "00 00 00 19  10  01  00 00 00 00 00 00 00 2a  00 09 | 00 01 00 05 71 75 6f 74 65  70 69 6e 67");
		Frame read = decodeOn(2, "000000191001000000000000002a0009000100057175 6f74 6570696e67".replace(" ", ""));
		assertThat(dev.dualsocket.link.RequestHeaders.fromFields(read.fields()).messageType()).isEqualTo("quote");
	}

	@Test
	void aMessageTypeWithAControlCharacterIsAProtocolViolation() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> decodeOn(2, "000000191001000000000000002a000900010005710a6f746570696e67"))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessageContaining("control character");
	}

	@Test
	void unknownCriticalHeaderFieldIsAProtocolViolation() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> decodeOn(2, "000000161001000000000000002a0006ff010002616270696e67"))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessageContaining("unknown critical field 0xff01");
	}

	@Test
	void version1ConnectionIgnoresTheFieldsFlag() {
		Frame read = decodeOn(1, "000000161001000000000000002a00067f010002616270696e67");
		assertThat(read.payload()).hasSize(12);
		assertThat(read.fields().isEmpty()).isTrue();
	}

	@Test
	void quiesceAndResumeMatchTheDocument() throws IOException {
		Frame quiesce = Frame.quiesce(41, "deploy");
		assertVector(quiesce, "00 00 00 10 31 00 00 00 00 00 00 00 00 29 | 64 65 70 6c 6f 79");
		assertVector(Frame.resume(""), "00 00 00 0a 32 00 00 00 00 00 00 00 00 00");
		Frame read = decodeOn(2, "0000001031000000000000000029" + "6465706c6f79");
		assertThat(read.type()).isEqualTo(FrameType.QUIESCE);
		assertThat(read.id()).isEqualTo(41);
	}

	@Test
	void quiesceIsAnUnknownTypeOnAVersion1Connection() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> decodeOn(1, "0000001031000000000000000029" + "6465706c6f79"))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessageContaining("unknown frame type 0x31");
	}

	/** Decodes one frame on a connection whose handshake agreed on the given version. */
	private static Frame decodeOn(int version, String hex) {
		FrameDecoder decoder = new FrameDecoder(1024);
		decoder.handshakeCompleted(version);
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
		return channel.readInbound();
	}

	/** The vector as the document writes it, and the bytes the encoder writes for the frame, are the same. */
	private static void assertVector(Frame frame, String documented) throws IOException {
		assertThat(Files.readString(Path.of("..", "docs", "PROTOCOL.md"))).contains(documented);
		ByteBuf encoded = Unpooled.buffer();
		FrameEncoder.encode(frame, encoded);
		byte[] bytes = new byte[encoded.readableBytes()];
		encoded.readBytes(bytes);
		assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(documented.replaceAll("[^0-9a-f]", ""));
	}

}

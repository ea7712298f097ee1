package dev.dualsocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import dev.dualsocket.RemoteRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
		assertVector(new Hello(1, ChannelKind.ofCode(1), SESSION, "orders-1", new byte[0], new byte[0]).toFrame(),
				"00 00 00 23 01 00 00 00 00 00 00 00 00 00 | 00 01 | 01 | 11 22 33 44 55 66 77 88 | 00 08 6f 72 64 65 72 73 "
						+ "2d 31 | 00 00 | 00 00");
	}

	@Test
	void joiningHelloCarriesTheSessionToken() throws IOException {
		Frame frame = new Hello(1, ChannelKind.ofCode(2), SESSION, "orders-1", new byte[0], TOKEN).toFrame();
		assertVector(frame, "00 00 00 33 01 00 00 00 00 00 00 00 00 00 | 00 01 | 02 | 11 22 33 44 55 66 77 88 | 00 08 6f "
				+ "72 64 65 72 73 2d 31 | 00 00\n  | 00 10 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
		assertThat(Hello.fromFrame(frame).token()).isEqualTo(TOKEN);
	}

	@Test
	void helloAcceptCarriesTheSessionToken() throws IOException {
		Frame frame = new HelloAccept(1, TOKEN).toFrame();
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

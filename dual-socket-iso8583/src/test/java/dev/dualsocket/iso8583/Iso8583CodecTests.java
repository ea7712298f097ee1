package dev.dualsocket.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.Limit;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.SocketRole;
import dev.dualsocket.codec.PayloadCodecException;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.ProtocolViolationException;
import dev.dualsocket.transport.RequestFields;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.ISO87APackager;
import org.junit.jupiter.api.Test;

/**
 * The binding's framing and translation on one connection, without sockets.
 */
class Iso8583CodecTests {

	private static final ISO87APackager PACKAGER = new ISO87APackager();

	private static final Iso8583Protocol PROTOCOL = new Iso8583Protocol(Iso8583Settings.of(PACKAGER));

	private final EmbeddedChannel channel = channel(PROTOCOL, LinkSettings.builder().build());

	private static EmbeddedChannel channel(Iso8583Protocol protocol, LinkSettings link) {
		EmbeddedChannel channel = new EmbeddedChannel();
		EndpointSettings endpoint = EndpointSettings.client("iso", "127.0.0.1", 1, "link-1", link)
			.withProtocol(protocol);
		protocol.initConnection(channel, new ConnectionSetup(endpoint, SocketRole.OUTBOUND));
		Connections.usePeerRequestIds(channel, new AtomicLong());
		return channel;
	}

	static ISOMsg message(String mti, String stan, String terminal) throws ISOException {
		ISOMsg message = new ISOMsg(mti);
		message.set(3, "000000");
		message.set(4, "000000001000");
		message.set(11, stan);
		message.set(41, terminal);
		return message;
	}

	static ISOMsg answer(ISOMsg request, String code) throws ISOException {
		ISOMsg answer = (ISOMsg) request.clone();
		answer.setResponseMTI();
		answer.set(39, code);
		return answer;
	}

	private static byte[] pack(ISOMsg message) throws ISOException {
		return Iso8583PayloadCodec.pack(PACKAGER, message);
	}

	/** The message as the peer would send it: a 2-byte length, then the packed message. */
	private static ByteBuf framed(byte[] packed) {
		ByteBuf buffer = Unpooled.buffer();
		buffer.writeShort(packed.length);
		buffer.writeBytes(packed);
		return buffer;
	}

	/** The one message written to the peer, unpacked, with its length header checked. */
	private ISOMsg written() throws ISOException {
		ByteBuf out = this.channel.readOutbound();
		assertThat(out).as("a message written").isNotNull();
		try {
			int length = out.readUnsignedShort();
			assertThat(out.readableBytes()).isEqualTo(length);
			return Iso8583PayloadCodec.unpack(PACKAGER, ByteBufUtil.getBytes(out));
		}
		finally {
			out.release();
		}
	}

	@Test
	void aResponseIsMatchedToItsRequestByMtiPairAndKeyFields() throws Exception {
		ISOMsg request = message("0200", "000001", "TERM0001");
		this.channel.writeOutbound(Frame.request(7, pack(request)));
		assertThat(written().getMTI()).isEqualTo("0200");

		byte[] response = pack(answer(request, "00"));
		this.channel.writeInbound(framed(response));

		Frame frame = this.channel.readInbound();
		assertThat(frame.type()).isEqualTo(FrameType.RESPONSE);
		assertThat(frame.id()).isEqualTo(7);
		assertThat(frame.payload()).isEqualTo(response);
	}

	@Test
	void aRepeatIsAnsweredByTheResponseOfItsPair() throws Exception {
		ISOMsg repeat = message("0201", "000002", "TERM0001");
		this.channel.writeOutbound(Frame.request(8, pack(repeat)));
		written();
		ISOMsg response = answer(message("0200", "000002", "TERM0001"), "00");
		assertThat(response.getMTI()).isEqualTo("0210");
		this.channel.writeInbound(framed(pack(response)));
		assertThat(((Frame) this.channel.readInbound()).id()).isEqualTo(8);
	}

	@Test
	void aResponseToNoRequestInFlightIsDropped() throws Exception {
		this.channel.writeInbound(framed(pack(answer(message("0200", "000003", "TERM0001"), "00"))));
		assertThat((Object) this.channel.readInbound()).isNull();
		assertThat(this.channel.isActive()).isTrue();
	}

	@Test
	void aSecondRequestWithTheSameKeyIsNotSentAndFailsAtOnce() throws Exception {
		byte[] request = pack(message("0200", "000004", "TERM0001"));
		this.channel.writeOutbound(Frame.request(1, request));
		written();

		this.channel.writeOutbound(Frame.request(2, request));
		assertThat((Object) this.channel.readOutbound()).isNull();
		this.channel.runPendingTasks();
		Frame error = this.channel.readInbound();
		assertThat(error.type()).isEqualTo(FrameType.ERROR);
		assertThat(error.id()).isEqualTo(2);
		ErrorReply reply = ErrorReply.fromFrame(error);
		assertThat(reply.reason()).isEqualTo(RemoteRequestException.Reason.HANDLER_FAILED);
		assertThat(reply.message()).startsWith("not sent: a request with the same MTI and key fields")
			.contains("already in flight");
	}

	@Test
	void aPayloadThePackagerCannotReadIsNotSent() {
		this.channel.writeOutbound(Frame.request(3, "hello".getBytes(StandardCharsets.US_ASCII)));
		assertThat((Object) this.channel.readOutbound()).isNull();
		this.channel.runPendingTasks();
		Frame error = this.channel.readInbound();
		assertThat(ErrorReply.fromFrame(error).message()).startsWith("not sent: the payload of 5 bytes");
	}

	@Test
	void thePeersRequestCarriesItsMtiAsTheMessageTypeAndAnErrorIsAnsweredWithDe39Of96() throws Exception {
		ISOMsg request = message("0200", "000005", "TERM0002");
		this.channel.writeInbound(framed(pack(request)));
		Frame frame = this.channel.readInbound();
		assertThat(frame.type()).isEqualTo(FrameType.REQUEST);
		assertThat(frame.id()).isEqualTo(1);
		assertThat(new String(frame.fields().get(RequestFields.MESSAGE_TYPE), StandardCharsets.US_ASCII))
			.isEqualTo("0200");

		this.channel.writeOutbound(new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED, "boom").toFrame(1));
		ISOMsg answer = written();
		assertThat(answer.getMTI()).isEqualTo("0210");
		assertThat(answer.getString(39)).isEqualTo("96");
		assertThat(answer.getString(11)).isEqualTo("000005");
		assertThat(answer.getString(41)).isEqualTo("TERM0002");
	}

	@Test
	void aBusyEngineAnswersWithDe39Of91() throws Exception {
		this.channel.writeInbound(framed(pack(message("0100", "000006", "TERM0002"))));
		Frame frame = this.channel.readInbound();
		this.channel.writeOutbound(new ErrorReply(RemoteRequestException.Reason.BUSY, "busy").toFrame(frame.id()));
		ISOMsg answer = written();
		assertThat(answer.getMTI()).isEqualTo("0110");
		assertThat(answer.getString(39)).isEqualTo("91");
	}

	@Test
	void theEnginesHeartbeatIsAnEchoTestAndItsAnswerTheAck() throws Exception {
		this.channel.writeOutbound(Frame.heartbeat(42, new byte[8]));
		ISOMsg echo = written();
		assertThat(echo.getMTI()).isEqualTo("0800");
		assertThat(echo.getString(70)).isEqualTo("301");
		assertThat(echo.getString(11)).isEqualTo("000001");
		assertThat(echo.getString(7)).hasSize(10);

		this.channel.writeInbound(framed(pack(answer(echo, "00"))));
		Frame ack = this.channel.readInbound();
		assertThat(ack.type()).isEqualTo(FrameType.HEARTBEAT_ACK);
		assertThat(ack.id()).isEqualTo(42);
		assertThat(ack.payload()).isEmpty();
	}

	@Test
	void thePeersEchoTestIsAHeartbeatAndItsAckAnEchoAnswer() throws Exception {
		ISOMsg echo = new ISOMsg("0800");
		echo.set(7, "1202123456");
		echo.set(11, "000777");
		echo.set(70, "301");
		this.channel.writeInbound(framed(pack(echo)));
		Frame heartbeat = this.channel.readInbound();
		assertThat(heartbeat.type()).isEqualTo(FrameType.HEARTBEAT);
		assertThat(heartbeat.payload()).isEmpty();

		this.channel.writeOutbound(Frame.heartbeatAck(heartbeat.id()));
		ISOMsg answer = written();
		assertThat(answer.getMTI()).isEqualTo("0810");
		assertThat(answer.getString(11)).isEqualTo("000777");
		assertThat(answer.getString(39)).isEqualTo("00");
	}

	@Test
	void aSignOnIsAnOrdinaryRequest() throws Exception {
		ISOMsg signOn = new ISOMsg("0800");
		signOn.set(11, "000008");
		signOn.set(70, "001");
		this.channel.writeInbound(framed(pack(signOn)));
		Frame frame = this.channel.readInbound();
		assertThat(frame.type()).isEqualTo(FrameType.REQUEST);
		assertThat(new String(frame.fields().get(RequestFields.MESSAGE_TYPE), StandardCharsets.US_ASCII))
			.isEqualTo("0800");
	}

	@Test
	void theEnginesCloseSendsNothing() {
		this.channel.writeOutbound(Frame.close("stopping"));
		assertThat((Object) this.channel.readOutbound()).isNull();
	}

	@Test
	void anUnreadableMessageIsAProtocolViolation() {
		assertThatThrownBy(() -> this.channel.writeInbound(framed("not iso 8583".getBytes(StandardCharsets.US_ASCII))))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessageStartingWith("unreadable ISO 8583 message of 12 bytes");
	}

	@Test
	void aLengthAboveTheMaximumFrameSizeIsRefusedFromItsHeaderAlone() {
		EmbeddedChannel small = channel(PROTOCOL, LinkSettings.builder().maxFrameSize(1000).build());
		ByteBuf header = Unpooled.buffer().writeShort(1001);
		assertThatThrownBy(() -> small.writeInbound(header)).isInstanceOfSatisfying(ProtocolViolationException.class,
				(ex) -> {
					assertThat(ex.limit()).isEqualTo(Limit.FRAME_SIZE);
					assertThat(ex).hasMessageContaining("1001 bytes");
				});
	}

	@Test
	void anAsciiHeaderOfDigitsOnly() throws Exception {
		EmbeddedChannel ascii = channel(
				new Iso8583Protocol(Iso8583Settings.of(PACKAGER).withHeader(LengthHeader.ASCII_4)),
				LinkSettings.builder().build());
		ascii.writeOutbound(Frame.heartbeat(1, new byte[8]));
		ByteBuf out = ascii.readOutbound();
		String header = out.toString(0, 4, StandardCharsets.US_ASCII);
		assertThat(Integer.parseInt(header)).isEqualTo(out.readableBytes() - 4);
		out.release();
		assertThatThrownBy(() -> ascii.writeInbound(Unpooled.copiedBuffer("00x1", StandardCharsets.US_ASCII)))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessageContaining("not a digit");
	}

	@Test
	void responseMtis() {
		assertThat(List.of("0200", "0201", "0800", "0420", "0100", "0221", "0401").stream().map(Mti::responseTo))
			.containsExactly("0210", "0210", "0810", "0430", "0110", "0230", "0410");
		assertThat(Mti.isResponse("0210")).isTrue();
		assertThat(Mti.isResponse("0230")).isTrue();
		assertThat(Mti.isResponse("0200")).isFalse();
	}

	@Test
	void theCodecPacksAndUnpacksAndSaysWhatWentWrong() throws Exception {
		Iso8583PayloadCodec codec = new Iso8583PayloadCodec(PACKAGER);
		byte[] bytes = codec.encode(message("0200", "000009", "TERM0003"));
		ISOMsg back = (ISOMsg) codec.decode(bytes, ISOMsg.class);
		assertThat(back.getString(41)).isEqualTo("TERM0003");
		assertThatThrownBy(() -> codec.decode(new byte[] { 1, 2 }, ISOMsg.class))
			.isInstanceOf(PayloadCodecException.class)
			.hasMessageStartingWith("cannot unpack 2 bytes as an ISO 8583 message");
		assertThatThrownBy(() -> codec.encode("text")).isInstanceOf(PayloadCodecException.class);
	}

	@Test
	void settingsAreChecked() {
		assertThatThrownBy(() -> Iso8583Settings.of(PACKAGER).withKeyFields(List.of()))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Iso8583Settings.of(PACKAGER).withKeyFields(List.of(1)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Iso8583Settings.of(PACKAGER).withKeyFields(List.of(11, 129)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(Iso8583Settings.of(PACKAGER).keyFields()).containsExactly(11, 41);
		assertThat(Iso8583Settings.of(PACKAGER).header()).isEqualTo(LengthHeader.BINARY_2);
	}

}

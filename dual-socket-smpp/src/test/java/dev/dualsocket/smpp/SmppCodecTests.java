package dev.dualsocket.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.Limit;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.codec.PayloadCodecException;
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
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliverSmResp;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.SubmitSmResp;
import org.junit.jupiter.api.Test;

/**
 * The framing and translation handlers on an {@link EmbeddedChannel}: PDU bytes in, engine frames out, and back.
 */
class SmppCodecTests {

	private final SmppPayloadCodec codec = new SmppPayloadCodec();

	@Test
	void aCommandLengthBelowTheHeaderIsRefusedAtOnce() {
		EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(1024));
		assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 0, 0, 0, 15 })))
			.isInstanceOf(ProtocolViolationException.class)
			.hasMessage("command_length 15 is shorter than the 16-byte SMPP header");
	}

	@Test
	void aCommandLengthAboveMaxFrameSizeIsRefusedFromItsFourBytesAlone() {
		PduDecoder decoder = new PduDecoder(64 * 1024);
		decoder.bound();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 0, 1, 0, 1 })))
			.isInstanceOfSatisfying(ProtocolViolationException.class,
					(ex) -> assertThat(ex.limit()).isEqualTo(Limit.FRAME_SIZE))
			.hasMessage("PDU of 65537 bytes exceeds max-frame-size of 65536 bytes");
	}

	@Test
	void beforeTheBindAPduIsAtMostOneKibibyte() {
		EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(64 * 1024));
		assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 0, 0, 4, 1 })))
			.isInstanceOfSatisfying(ProtocolViolationException.class,
					(ex) -> assertThat(ex.limit()).isEqualTo(Limit.HANDSHAKE_FRAME_SIZE));
	}

	@Test
	void aPduSplitAcrossReadsIsHandedOnWhole() {
		EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(1024));
		byte[] enquireLink = Pdus.header(Pdus.ENQUIRE_LINK, 0, 7);
		channel.writeInbound(Unpooled.wrappedBuffer(enquireLink, 0, 5));
		assertThat((Object) channel.readInbound()).isNull();
		channel.writeInbound(Unpooled.wrappedBuffer(enquireLink, 5, 11));
		assertThat((byte[]) channel.readInbound()).isEqualTo(enquireLink);
	}

	@Test
	void aRequestGetsTheConnectionsNextSequenceNumberAndItsAnswerItsId() {
		EmbeddedChannel channel = bound();
		byte[] submit = this.codec.encode(submit("hello"));
		channel.writeOutbound(Frame.request(41, submit));
		channel.writeOutbound(Frame.request(42, submit));
		byte[] first = written(channel);
		byte[] second = written(channel);
		assertThat(Pdus.sequenceNumber(first)).isEqualTo(1);
		assertThat(Pdus.sequenceNumber(second)).isEqualTo(2);
		assertThat(Pdus.commandId(second)).isEqualTo(Pdus.SUBMIT_SM);

		SubmitSmResp resp = new SubmitSmResp();
		resp.setMessageId("m-2");
		channel.writeInbound(Pdus.withSequenceNumber(this.codec.encode(resp), 2));
		Frame answer = channel.readInbound();
		assertThat(answer.type()).isEqualTo(FrameType.RESPONSE);
		assertThat(answer.id()).isEqualTo(42);
		assertThat(((SubmitSmResp) this.codec.decode(answer.payload(), SubmitSmResp.class)).getMessageId())
			.isEqualTo("m-2");
	}

	@Test
	void aNegativeAnswerIsAResponseWithItsStatus() {
		EmbeddedChannel channel = bound();
		channel.writeOutbound(Frame.request(5, this.codec.encode(submit("x"))));
		int sequenceNumber = Pdus.sequenceNumber(written(channel));
		channel.writeInbound(Pdus.header(Pdus.SUBMIT_SM | Pdus.RESPONSE_BIT, 0x45, sequenceNumber));
		Frame answer = channel.readInbound();
		assertThat(answer.type()).isEqualTo(FrameType.RESPONSE);
		SubmitSmResp resp = (SubmitSmResp) this.codec.decode(answer.payload(), SubmitSmResp.class);
		assertThat(resp.getCommandStatus()).isEqualTo(0x45);
	}

	@Test
	void genericNackIsAnErrorOfItsRequest() {
		EmbeddedChannel channel = bound();
		channel.writeOutbound(Frame.request(9, this.codec.encode(submit("x"))));
		int sequenceNumber = Pdus.sequenceNumber(written(channel));
		channel.writeInbound(Pdus.header(Pdus.GENERIC_NACK, 0x03, sequenceNumber));
		Frame answer = channel.readInbound();
		assertThat(answer.type()).isEqualTo(FrameType.ERROR);
		assertThat(answer.id()).isEqualTo(9);
		assertThat(ErrorReply.fromFrame(answer)).isEqualTo(new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED,
				"the SMSC answered with generic_nack status ESME_RINVCMDID (0x00000003)"));
	}

	@Test
	void anAnswerWithAnUnknownSequenceNumberIsDropped() {
		EmbeddedChannel channel = bound();
		channel.writeInbound(Pdus.header(Pdus.SUBMIT_SM | Pdus.RESPONSE_BIT, 0, 99));
		channel.writeInbound(Pdus.header(Pdus.ENQUIRE_LINK | Pdus.RESPONSE_BIT, 0, 98));
		channel.writeInbound(Pdus.header(Pdus.GENERIC_NACK, 0, 97));
		assertThat((Object) channel.readInbound()).isNull();
		assertThat(channel.isActive()).isTrue();
	}

	@Test
	void aRequestWhosePayloadIsNotOneWholePduFailsAloneAndIsNotSent() {
		EmbeddedChannel channel = bound();
		channel.writeOutbound(Frame.request(3, new byte[] { 1, 2, 3 }));
		assertThat((Object) channel.readOutbound()).isNull();
		Frame answer = channel.readInbound();
		assertThat(answer.type()).isEqualTo(FrameType.ERROR);
		assertThat(ErrorReply.fromFrame(answer).message())
			.isEqualTo("not sent: a request's payload is one whole SMPP PDU; it has 3 bytes, fewer than the 16-byte header");
		assertThat(channel.isActive()).isTrue();
	}

	@Test
	void aPeerRequestIsARequestWithItsCommandAsMessageTypeAndItsAnswerTakesItsSequenceNumber() {
		EmbeddedChannel channel = bound();
		channel.writeInbound(Pdus.withSequenceNumber(this.codec.encode(deliver("hi")), 700));
		Frame request = channel.readInbound();
		assertThat(request.type()).isEqualTo(FrameType.REQUEST);
		assertThat(request.id()).isEqualTo(1);
		assertThat(new String(request.fields().get(RequestFields.MESSAGE_TYPE), StandardCharsets.US_ASCII))
			.isEqualTo("deliver_sm");
		assertThat(((DeliverSm) this.codec.decode(request.payload(), DeliverSm.class)).getShortMessage())
			.isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));

		channel.writeOutbound(Frame.response(1, this.codec.encode(new DeliverSmResp())));
		byte[] answer = written(channel);
		assertThat(Pdus.commandId(answer)).isEqualTo(Pdus.DELIVER_SM | Pdus.RESPONSE_BIT);
		assertThat(Pdus.sequenceNumber(answer)).isEqualTo(700);
		assertThat(Pdus.commandStatus(answer)).isZero();
	}

	@Test
	void anErrorAnswersThePeersRequestWithSystemErrorAndBusyWithThrottled() {
		EmbeddedChannel channel = bound();
		channel.writeInbound(Pdus.withSequenceNumber(this.codec.encode(deliver("a")), 11));
		channel.writeInbound(Pdus.withSequenceNumber(this.codec.encode(deliver("b")), 12));
		Frame first = channel.readInbound();
		Frame second = channel.readInbound();

		channel.writeOutbound(new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED, "boom").toFrame(first.id()));
		channel.writeOutbound(new ErrorReply(RemoteRequestException.Reason.BUSY, "busy").toFrame(second.id()));

		assertThat(written(channel)).isEqualTo(Pdus.header(Pdus.DELIVER_SM | Pdus.RESPONSE_BIT, 0x08, 11));
		assertThat(written(channel)).isEqualTo(Pdus.header(Pdus.DELIVER_SM | Pdus.RESPONSE_BIT, 0x58, 12));
	}

	@Test
	void enquireLinkIsTheHeartbeatBothWays() {
		EmbeddedChannel channel = bound();
		channel.writeOutbound(Frame.heartbeat(-77, new byte[8]));
		byte[] enquireLink = written(channel);
		assertThat(Pdus.commandId(enquireLink)).isEqualTo(Pdus.ENQUIRE_LINK);
		assertThat(enquireLink).hasSize(16);
		channel.writeInbound(Pdus.header(Pdus.ENQUIRE_LINK | Pdus.RESPONSE_BIT, 0, Pdus.sequenceNumber(enquireLink)));
		assertThat((Frame) channel.readInbound()).isEqualTo(Frame.heartbeatAck(-77));

		channel.writeInbound(Pdus.header(Pdus.ENQUIRE_LINK, 0, 31));
		Frame heartbeat = channel.readInbound();
		assertThat(heartbeat.type()).isEqualTo(FrameType.HEARTBEAT);
		assertThat(heartbeat.id()).isEqualTo(31);
		assertThat(heartbeat.payload()).isEmpty();
		channel.writeOutbound(Frame.heartbeatAck(31));
		assertThat(written(channel)).isEqualTo(Pdus.header(Pdus.ENQUIRE_LINK | Pdus.RESPONSE_BIT, 0, 31));
	}

	@Test
	void unbindIsAnsweredAndBecomesAClose() {
		EmbeddedChannel channel = bound();
		channel.writeInbound(Pdus.header(Pdus.UNBIND, 0, 5));
		assertThat(written(channel)).isEqualTo(Pdus.header(Pdus.UNBIND | Pdus.RESPONSE_BIT, 0, 5));
		Frame close = channel.readInbound();
		assertThat(close.type()).isEqualTo(FrameType.CLOSE);
		assertThat(new String(close.payload(), StandardCharsets.UTF_8)).isEqualTo("peer sent unbind");

		channel.writeOutbound(Frame.close("stopping"));
		assertThat(Pdus.commandId(written(channel))).isEqualTo(Pdus.UNBIND);
	}

	@Test
	void anUnknownCommandIsAnsweredWithGenericNack() {
		EmbeddedChannel channel = bound();
		channel.writeInbound(Pdus.header(0x00000abc, 0, 8));
		assertThat((Object) channel.readInbound()).isNull();
		assertThat(written(channel)).isEqualTo(Pdus.header(Pdus.GENERIC_NACK, 0x03, 8));
	}

	@Test
	void sequenceNumbersRunFromOneAndWrapToOne() {
		assertThat(new SmppCodec().nextSequenceNumber()).isEqualTo(1);
		SmppCodec nearTheTop = new SmppCodec(Integer.MAX_VALUE - 1);
		assertThat(nearTheTop.nextSequenceNumber()).isEqualTo(Integer.MAX_VALUE);
		assertThat(nearTheTop.nextSequenceNumber()).isEqualTo(1);
	}

	@Test
	void theCodecRefusesWhatItCannotReadWithAClearMessage() {
		byte[] deliver = this.codec.encode(deliver("x"));
		assertThatThrownBy(() -> this.codec.decode(deliver, SubmitSm.class)).isInstanceOf(PayloadCodecException.class)
			.hasMessage("cannot read deliver_sm (ESME_ROK (0x00000000)) as org.jsmpp.bean.SubmitSm, which is submit_sm");
		assertThatThrownBy(() -> this.codec.encode("text")).isInstanceOf(PayloadCodecException.class)
			.hasMessageStartingWith("the SMPP payload codec encodes byte[], SubmitSm");
		assertThatThrownBy(() -> this.codec.decode(new byte[] { 0, 0, 0, 16 }, SubmitSm.class))
			.isInstanceOf(PayloadCodecException.class)
			.hasMessage("the payload is not one whole SMPP PDU: it has 4 bytes, fewer than the 16-byte header");
	}

	@Test
	void aSubmitSmSurvivesTheCodec() {
		SubmitSm submit = submit("round trip");
		byte[] pdu = this.codec.encode(submit);
		assertThat(Pdus.sequenceNumber(pdu)).isZero();
		SubmitSm decoded = (SubmitSm) this.codec.decode(pdu, SubmitSm.class);
		assertThat(decoded.getSourceAddr()).isEqualTo("1234");
		assertThat(decoded.getDestAddress()).isEqualTo("5678");
		assertThat(decoded.getShortMessage()).isEqualTo("round trip".getBytes(StandardCharsets.US_ASCII));
	}

	static SubmitSm submit(String text) {
		SubmitSm submit = new SubmitSm();
		submit.setSourceAddr("1234");
		submit.setDestAddress("5678");
		submit.setShortMessage(text.getBytes(StandardCharsets.US_ASCII));
		return submit;
	}

	static DeliverSm deliver(String text) {
		DeliverSm deliver = new DeliverSm();
		deliver.setSourceAddr("5678");
		deliver.setDestAddress("1234");
		deliver.setShortMessage(text.getBytes(StandardCharsets.US_ASCII));
		return deliver;
	}

	private static EmbeddedChannel bound() {
		SmppCodec smpp = new SmppCodec();
		smpp.bound();
		EmbeddedChannel channel = new EmbeddedChannel(smpp);
		Connections.usePeerRequestIds(channel, new AtomicLong());
		return channel;
	}

	private static byte[] written(EmbeddedChannel channel) {
		ByteBuf buffer = channel.readOutbound();
		assertThat(buffer).as("a PDU written").isNotNull();
		try {
			return ByteBufUtil.getBytes(buffer);
		}
		finally {
			buffer.release();
		}
	}

}

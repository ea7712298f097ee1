package dev.dualsocket.smpp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.FieldList;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.ProtocolViolationException;
import dev.dualsocket.transport.RequestFields;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Translates one connection's SMPP PDUs to the engine's frames and back, once its bind is done; before that it hands
 * PDUs ({@code byte[]}) through to the bind handler as they are, and writes the bind handler's PDUs as they are.
 *
 * <p>Correlation is by sequence_number. A request of this side gets the connection's next sequence number (1 to
 * 0x7FFFFFFF, then 1 again) and the answer with that number is the answer to its id. A request of the peer gets an id
 * from {@link Connections#nextPeerRequestId}, and this side's answer goes out with the peer's sequence number.
 * {@code enquire_link} is the heartbeat both ways; {@code unbind} is the {@code CLOSE}.
 *
 * <p>All state is touched on the channel's event loop only.
 */
final class SmppCodec extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(SmppCodec.class);

	private static final RateLimitedLog dropped = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/**
	 * The most requests of either side remembered while unanswered. Each is failed by its timeout long before this
	 * many pile up; a peer that never answers cannot make the map grow without bound.
	 */
	static final int MAX_REMEMBERED = 65_536;

	private static final byte[] EMPTY = new byte[0];

	private int lastSequenceNumber;

	private boolean bound;

	/** This side's requests by their sequence number: the engine's request id. */
	private final Map<Integer, Long> requests = bounded();

	/** This side's {@code enquire_link}s by their sequence number: the engine's heartbeat nonce. */
	private final Map<Integer, Long> heartbeats = bounded();

	/** The peer's requests by the id they were given. */
	private final Map<Long, PeerRequest> peerRequests = bounded();

	SmppCodec() {
		this(0);
	}

	/** A codec whose first sequence number follows the given one, for tests of the wrap. */
	SmppCodec(int lastSequenceNumber) {
		this.lastSequenceNumber = lastSequenceNumber;
	}

	/**
	 * The next sequence number of this connection.
	 * @return 1 to 0x7FFFFFFF
	 */
	int nextSequenceNumber() {
		this.lastSequenceNumber = (this.lastSequenceNumber == Integer.MAX_VALUE) ? 1 : this.lastSequenceNumber + 1;
		return this.lastSequenceNumber;
	}

	/** The bind is done: PDUs are frames from now on. Called on the event loop, before the link attaches. */
	void bound() {
		this.bound = true;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!this.bound || !(msg instanceof byte[] pdu)) {
			ctx.fireChannelRead(msg);
			return;
		}
		int commandId = Pdus.commandId(pdu);
		int sequenceNumber = Pdus.sequenceNumber(pdu);
		if (Pdus.isResponse(commandId)) {
			answerReceived(ctx, pdu, commandId, sequenceNumber);
		}
		else {
			requestReceived(ctx, pdu, commandId, sequenceNumber);
		}
	}

	private void answerReceived(ChannelHandlerContext ctx, byte[] pdu, int commandId, int sequenceNumber) {
		if (commandId == (Pdus.ENQUIRE_LINK | Pdus.RESPONSE_BIT)) {
			Long nonce = this.heartbeats.remove(sequenceNumber);
			if (nonce != null) {
				ctx.fireChannelRead(Frame.heartbeatAck(nonce));
			}
			else {
				drop(ctx, pdu, "it answers no enquire_link of this side");
			}
			return;
		}
		if (commandId == (Pdus.UNBIND | Pdus.RESPONSE_BIT)) {
			return; // The answer to this side's unbind; the connection is closing.
		}
		Long id = this.requests.remove(sequenceNumber);
		if (id == null) {
			if (commandId == Pdus.GENERIC_NACK && this.heartbeats.remove(sequenceNumber) != null) {
				drop(ctx, pdu, "the peer refused an enquire_link; the heartbeat timeout decides about the connection");
				return;
			}
			drop(ctx, pdu, "it answers no request in flight on this connection (timed out, or never sent)");
			return;
		}
		if (commandId == Pdus.GENERIC_NACK) {
			ctx.fireChannelRead(new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED,
					"the SMSC answered with generic_nack status " + Pdus.statusName(Pdus.commandStatus(pdu)))
				.toFrame(id));
			return;
		}
		ctx.fireChannelRead(Frame.response(id, pdu));
	}

	private void requestReceived(ChannelHandlerContext ctx, byte[] pdu, int commandId, int sequenceNumber) {
		switch (commandId) {
			case Pdus.ENQUIRE_LINK -> ctx.fireChannelRead(Frame.heartbeat(Integer.toUnsignedLong(sequenceNumber), EMPTY));
			case Pdus.UNBIND -> {
				ctx.writeAndFlush(Unpooled.wrappedBuffer(
						Pdus.header(Pdus.UNBIND | Pdus.RESPONSE_BIT, Pdus.ESME_ROK, sequenceNumber)));
				ctx.fireChannelRead(Frame.close("peer sent unbind"));
			}
			case Pdus.BIND_RECEIVER, Pdus.BIND_TRANSMITTER, Pdus.BIND_TRANSCEIVER, Pdus.OUTBIND -> throw new ProtocolViolationException(
					Pdus.commandName(commandId) + " on a connection that is bound already");
			default -> {
				String name = Pdus.requestName(commandId);
				if (name == null) {
					// SMPP 3.4 section 4.3: a command id the receiver does not know is answered with generic_nack.
					ctx.writeAndFlush(Unpooled.wrappedBuffer(
							Pdus.header(Pdus.GENERIC_NACK, Pdus.ESME_RINVCMDID, sequenceNumber)));
					drop(ctx, pdu, "its command id is not one of SMPP 3.4; answered generic_nack ESME_RINVCMDID");
					return;
				}
				long id = Connections.nextPeerRequestId(ctx.channel());
				this.peerRequests.put(id, new PeerRequest(sequenceNumber, commandId));
				ctx.fireChannelRead(new Frame(FrameType.REQUEST, id, pdu,
						FieldList.EMPTY.with(RequestFields.MESSAGE_TYPE, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
			}
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof byte[] pdu) {
			ctx.write(Unpooled.wrappedBuffer(pdu), promise);
			return;
		}
		if (!(msg instanceof Frame frame)) {
			ctx.write(msg, promise);
			return;
		}
		byte[] pdu = toPdu(ctx, frame);
		if (pdu == null) {
			promise.trySuccess();
			return;
		}
		ctx.write(Unpooled.wrappedBuffer(pdu), promise);
	}

	/**
	 * The PDU an engine frame goes out as, or {@code null} for a frame SMPP has nothing for.
	 */
	private byte @org.jspecify.annotations.Nullable [] toPdu(ChannelHandlerContext ctx, Frame frame) {
		switch (frame.type()) {
			case REQUEST -> {
				String wrong = Pdus.notWhole(frame.payload());
				if (wrong != null) {
					// Not sent: the request alone fails, the connection carries on.
					Connections.refuseRequest(ctx, frame.id(), "not sent: a request's payload is one whole SMPP PDU; "
							+ wrong);
					return null;
				}
				int sequenceNumber = nextSequenceNumber();
				this.requests.put(sequenceNumber, frame.id());
				return Pdus.withSequenceNumber(frame.payload(), sequenceNumber);
			}
			case RESPONSE -> {
				PeerRequest request = this.peerRequests.remove(frame.id());
				if (request == null) {
					drop(ctx, "the answer to request " + frame.id() + ", which this connection does not hold");
					return null;
				}
				if (request.commandId == Pdus.ALERT_NOTIFICATION) {
					return null; // alert_notification has no answer in SMPP
				}
				if (frame.payload().length == 0) {
					return request.emptyAnswer();
				}
				String wrong = Pdus.notWhole(frame.payload());
				if (wrong != null) {
					logger.warn("Answered " + Pdus.commandName(request.commandId) + " (sequence_number "
							+ Integer.toUnsignedString(request.sequenceNumber) + ") on " + Connections.describe(ctx.channel())
							+ " with ESME_RSYSERR: the handler's answer is not one whole SMPP PDU (" + wrong + ")");
					return Pdus.header(request.commandId | Pdus.RESPONSE_BIT, Pdus.ESME_RSYSERR, request.sequenceNumber);
				}
				return Pdus.withSequenceNumber(frame.payload(), request.sequenceNumber);
			}
			case ERROR -> {
				PeerRequest request = this.peerRequests.remove(frame.id());
				if (request == null) {
					drop(ctx, "the error answer to request " + frame.id() + ", which this connection does not hold");
					return null;
				}
				if (request.commandId == Pdus.ALERT_NOTIFICATION) {
					return null;
				}
				ErrorReply error = ErrorReply.fromFrame(frame);
				int status = (error.reason() == RemoteRequestException.Reason.BUSY) ? Pdus.ESME_RTHROTTLED
						: Pdus.ESME_RSYSERR;
				return Pdus.header(request.commandId | Pdus.RESPONSE_BIT, status, request.sequenceNumber);
			}
			case HEARTBEAT -> {
				int sequenceNumber = nextSequenceNumber();
				this.heartbeats.put(sequenceNumber, frame.id());
				return Pdus.header(Pdus.ENQUIRE_LINK, Pdus.ESME_ROK, sequenceNumber);
			}
			case HEARTBEAT_ACK -> {
				return Pdus.header(Pdus.ENQUIRE_LINK | Pdus.RESPONSE_BIT, Pdus.ESME_ROK, (int) frame.id());
			}
			case CLOSE -> {
				return Pdus.header(Pdus.UNBIND, Pdus.ESME_ROK, nextSequenceNumber());
			}
			default -> {
				return null; // QUIESCE and RESUME are this project's protocol's only; the handshake frames never come here
			}
		}
	}

	private static void drop(ChannelHandlerContext ctx, byte[] pdu, String why) {
		dropped.info(() -> "Dropped " + Pdus.commandName(Pdus.commandId(pdu)) + " (sequence_number "
				+ Integer.toUnsignedString(Pdus.sequenceNumber(pdu)) + ", " + Pdus.statusName(Pdus.commandStatus(pdu))
				+ ") from " + Connections.describe(ctx.channel()) + ": " + why + ". The connection carries on", null);
	}

	private static void drop(ChannelHandlerContext ctx, String what) {
		dropped.info(() -> "Dropped " + what + " on " + Connections.describe(ctx.channel())
				+ ": the request came on a connection that has since been replaced, or was answered already", null);
	}

	private static <K, V> Map<K, V> bounded() {
		return new LinkedHashMap<>() {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > MAX_REMEMBERED;
			}

		};
	}

	/**
	 * A request of the peer, until this side answers it.
	 */
	private record PeerRequest(int sequenceNumber, int commandId) {

		/** The positive answer with an empty body, for a handler that answers with no bytes. */
		byte[] emptyAnswer() {
			byte[] body = switch (this.commandId) {
				case Pdus.SUBMIT_SM, Pdus.DELIVER_SM, Pdus.DATA_SM, 0x00000111 -> new byte[1]; // message_id ""
				case Pdus.SUBMIT_MULTI -> new byte[2]; // message_id "", no_unsuccess 0
				default -> EMPTY;
			};
			byte[] pdu = new byte[Pdus.HEADER_LENGTH + body.length];
			byte[] header = Pdus.header(this.commandId | Pdus.RESPONSE_BIT, Pdus.ESME_ROK, this.sequenceNumber);
			System.arraycopy(header, 0, pdu, 0, Pdus.HEADER_LENGTH);
			pdu[3] = (byte) pdu.length;
			return pdu;
		}

	}

}

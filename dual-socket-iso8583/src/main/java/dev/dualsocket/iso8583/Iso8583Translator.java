package dev.dualsocket.iso8583;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.FieldList;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.ProtocolViolationException;
import dev.dualsocket.transport.RequestFields;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jspecify.annotations.Nullable;

/**
 * Translates one connection's ISO 8583 messages into the engine's frames and back, and keeps what correlating them
 * takes: the key (MTI pair and key fields) of each request this side has in flight, the peer's requests not yet
 * answered, and the echo tests in flight both ways. Everything runs on the connection's event loop.
 */
final class Iso8583Translator extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(Iso8583Translator.class);

	private static final RateLimitedLog unmatched = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private static final DateTimeFormatter TRANSMISSION_TIME = DateTimeFormatter.ofPattern("MMddHHmmss")
		.withZone(ZoneOffset.UTC);

	private static final byte[] EMPTY = new byte[0];

	/** DE70 of an echo test. */
	static final String ECHO_TEST = "301";

	/** Echo tests in flight at once in either direction: the engine has one heartbeat and a probe or two out. */
	private static final int MAX_ECHOES = 64;

	/** The most requests of the peer kept unanswered; the engine answers every request it took, so never reached. */
	private static final int MAX_PEER_REQUESTS = 100_000;

	private final ISOPackager packager;

	private final LengthHeader header;

	private final List<Integer> keyFields;

	private final int maxLength;

	private final long requestTimeoutNanos;

	private final int maxInFlight;

	private final Clock clock;

	/** This side's requests in flight, by key. */
	private final Map<Key, Pending> outstanding = new HashMap<>();

	/** The peer's requests not yet answered, by the engine's id for them. */
	private final Map<Long, ISOMsg> peerRequests = bounded(MAX_PEER_REQUESTS);

	/** This side's echo tests in flight: STAN to the engine's nonce. */
	private final Map<Integer, Long> echoes = bounded(MAX_ECHOES);

	/** The peer's echo tests not yet answered: the local id given to the engine, to the 0800. */
	private final Map<Long, ISOMsg> peerEchoes = bounded(MAX_ECHOES);

	private int stan;

	private long peerEchoIds;

	Iso8583Translator(Iso8583Settings settings, int maxFrameSize, long requestTimeoutNanos, int maxInFlight,
			Clock clock) {
		this.packager = settings.packager();
		this.header = settings.header();
		this.keyFields = settings.keyFields();
		this.maxLength = Math.min(maxFrameSize, this.header.maxLength());
		this.requestTimeoutNanos = requestTimeoutNanos;
		this.maxInFlight = maxInFlight;
		this.clock = clock;
	}

	/** A map that forgets its eldest entry once it holds more than {@code max}. */
	private static <K, V> Map<K, V> bounded(int max) {
		return new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > max;
			}
		};
	}

	// ---- From the peer ----

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (!(msg instanceof byte[] bytes)) {
			ctx.fireChannelRead(msg);
			return;
		}
		ISOMsg message = unpackFromPeer(bytes);
		String mti = message.getMTI();
		if (Mti.isResponse(mti)) {
			readResponse(ctx, message, mti, bytes);
		}
		else if (isEchoTest(message, mti)) {
			long id = ++this.peerEchoIds;
			this.peerEchoes.put(id, message);
			ctx.fireChannelRead(Frame.heartbeat(id, EMPTY));
		}
		else {
			long id = Connections.nextPeerRequestId(ctx.channel());
			this.peerRequests.put(id, message);
			FieldList fields = FieldList.builder().put(RequestFields.MESSAGE_TYPE, mti.getBytes(StandardCharsets.US_ASCII))
				.build();
			ctx.fireChannelRead(new Frame(FrameType.REQUEST, id, bytes, fields));
		}
	}

	private void readResponse(ChannelHandlerContext ctx, ISOMsg message, String mti, byte[] bytes) {
		if (isEchoTest(message, mti)) {
			Integer stanOf = stanOf(message);
			Long nonce = (stanOf != null) ? this.echoes.remove(stanOf) : null;
			if (nonce != null) {
				ctx.fireChannelRead(Frame.heartbeatAck(nonce));
				return;
			}
		}
		Key key = keyOf(Mti.pair(mti), message);
		Pending pending = this.outstanding.remove(key);
		if (pending == null) {
			unmatched.warn(() -> "Dropped ISO 8583 " + mti + " from " + Connections.describe(ctx.channel())
					+ ": it answers no request in flight with key " + key.describe(this.keyFields)
					+ " (a late answer to a request that failed or timed out, or one sent twice); carrying on", null);
			return;
		}
		ctx.fireChannelRead(Frame.response(pending.id, bytes));
	}

	private ISOMsg unpackFromPeer(byte[] bytes) {
		try {
			ISOMsg message = Iso8583PayloadCodec.unpack(this.packager, bytes);
			Mti.check(message.getMTI());
			return message;
		}
		catch (ISOException | RuntimeException ex) {
			throw new ProtocolViolationException("unreadable ISO 8583 message of " + bytes.length + " bytes ("
					+ this.packager.getClass().getSimpleName() + "): " + ex.getMessage());
		}
	}

	// ---- From the engine ----

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (!(msg instanceof Frame frame)) {
			ctx.write(msg, promise);
			return;
		}
		switch (frame.type()) {
			case REQUEST -> writeRequest(ctx, frame, promise);
			case RESPONSE -> writeResponse(ctx, frame, promise);
			case ERROR -> writeError(ctx, frame.id(), ErrorReply.fromFrame(frame), promise);
			case HEARTBEAT -> writeEchoTest(ctx, frame.id(), promise);
			case HEARTBEAT_ACK -> writeEchoAnswer(ctx, frame.id(), promise);
			// ISO 8583 has no message for them: a peer learns of a close when the connection closes.
			default -> promise.trySuccess();
		}
	}

	private void writeRequest(ChannelHandlerContext ctx, Frame frame, ChannelPromise promise) {
		byte[] bytes = frame.payload();
		ISOMsg message;
		String mti;
		try {
			message = Iso8583PayloadCodec.unpack(this.packager, bytes);
			mti = Mti.check(message.getMTI());
		}
		catch (ISOException | RuntimeException ex) {
			refuse(ctx, frame.id(), promise, "not sent: the payload of " + bytes.length + " bytes is no ISO 8583 "
					+ "message the packager (" + this.packager.getClass().getSimpleName() + ") reads: " + ex.getMessage());
			return;
		}
		if (Mti.isResponse(mti)) {
			refuse(ctx, frame.id(), promise, "not sent: " + mti + " is a response MTI (its third digit is odd); a "
					+ "request is 0100, 0200, 0420, 0800 and the like");
			return;
		}
		if (bytes.length > this.maxLength) {
			refuse(ctx, frame.id(), promise, "not sent: the " + bytes.length + "-byte message is longer than the "
					+ this.maxLength + " bytes the connection carries");
			return;
		}
		Key key = keyOf(Mti.pair(mti), message);
		long now = System.nanoTime();
		Pending before = this.outstanding.get(key);
		if (before != null && now - before.sentNanos < this.requestTimeoutNanos) {
			refuse(ctx, frame.id(), promise, "not sent: a request with the same MTI and key fields ("
					+ mti + ", " + key.describe(this.keyFields) + ") is already in flight on this connection, so its "
					+ "response could not be told from this one's; use another STAN");
			return;
		}
		if (this.outstanding.size() >= this.maxInFlight) {
			forgetTimedOut(now);
		}
		this.outstanding.put(key, new Pending(frame.id(), now));
		writeMessage(ctx, bytes, promise);
	}

	/** Requests whose callers gave up long ago: their answers, if any come, are dropped as unknown. */
	private void forgetTimedOut(long now) {
		this.outstanding.values().removeIf((pending) -> now - pending.sentNanos >= this.requestTimeoutNanos);
	}

	/**
	 * Fails a request without sending it: the engine gets an {@code ERROR} for it, as if from the peer, so its caller
	 * fails at once.
	 */
	private void refuse(ChannelHandlerContext ctx, long id, ChannelPromise promise, String why) {
		promise.trySuccess();
		Connections.refuseRequest(ctx, id, why);
	}

	private void writeResponse(ChannelHandlerContext ctx, Frame frame, ChannelPromise promise) throws ISOException {
		ISOMsg request = this.peerRequests.remove(frame.id());
		if (frame.payload().length > this.maxLength && request != null) {
			logger.warn("The response to ISO 8583 " + request.getMTI() + " from " + Connections.describe(ctx.channel())
					+ " is " + frame.payload().length + " bytes, more than the " + this.maxLength + " the connection "
					+ "carries; answering with DE39 96 instead");
			writeMessage(ctx, negativeAnswer(request, "96"), promise);
			return;
		}
		writeMessage(ctx, frame.payload(), promise);
	}

	private void writeError(ChannelHandlerContext ctx, long id, ErrorReply reply, ChannelPromise promise)
			throws ISOException {
		ISOMsg request = this.peerRequests.remove(id);
		if (request == null) {
			promise.trySuccess();
			unmatched.warn(() -> "No ISO 8583 request " + id + " of the peer to answer on "
					+ Connections.describe(ctx.channel()) + " with the error '" + reply.message() + "'; nothing sent", null);
			return;
		}
		String code = switch (reply.reason()) {
			case BUSY, SHUTTING_DOWN -> "91";
			default -> "96";
		};
		writeMessage(ctx, negativeAnswer(request, code), promise);
	}

	/**
	 * The response that tells the peer its request failed: the response MTI, the request's key fields, and DE39.
	 */
	private byte[] negativeAnswer(ISOMsg request, String responseCode) throws ISOException {
		ISOMsg answer = new ISOMsg(Mti.responseTo(request.getMTI()));
		for (int field : this.keyFields) {
			if (request.hasField(field)) {
				answer.set(field, request.getString(field));
			}
		}
		answer.set(39, responseCode);
		return Iso8583PayloadCodec.pack(this.packager, answer);
	}

	private void writeEchoTest(ChannelHandlerContext ctx, long nonce, ChannelPromise promise) throws ISOException {
		this.stan = (this.stan % 999_999) + 1;
		ISOMsg echo = new ISOMsg("0800");
		echo.set(7, TRANSMISSION_TIME.format(this.clock.instant()));
		echo.set(11, String.format("%06d", this.stan));
		echo.set(70, ECHO_TEST);
		this.echoes.put(this.stan, nonce);
		writeMessage(ctx, Iso8583PayloadCodec.pack(this.packager, echo), promise);
	}

	private void writeEchoAnswer(ChannelHandlerContext ctx, long id, ChannelPromise promise) throws ISOException {
		ISOMsg echo = this.peerEchoes.remove(id);
		if (echo == null) {
			promise.trySuccess();
			return;
		}
		ISOMsg answer = (ISOMsg) echo.clone();
		answer.setMTI(Mti.responseTo(echo.getMTI()));
		answer.set(39, "00");
		writeMessage(ctx, Iso8583PayloadCodec.pack(this.packager, answer), promise);
	}

	private void writeMessage(ChannelHandlerContext ctx, byte[] bytes, ChannelPromise promise) {
		ByteBuf out = ctx.alloc().ioBuffer(this.header.bytes() + bytes.length);
		this.header.write(out, bytes.length);
		out.writeBytes(bytes);
		ctx.write(out, promise);
	}

	// ---- Correlation ----

	private Key keyOf(String pair, ISOMsg message) {
		List<String> values = new ArrayList<>(this.keyFields.size());
		for (int field : this.keyFields) {
			String value = message.getString(field);
			values.add((value != null) ? value.trim() : "");
		}
		return new Key(pair, values);
	}

	private static boolean isEchoTest(ISOMsg message, String mti) {
		return mti.startsWith("08") && ECHO_TEST.equals(message.getString(70));
	}

	private static @Nullable Integer stanOf(ISOMsg message) {
		String stan = message.getString(11);
		if (stan == null) {
			return null;
		}
		try {
			return Integer.valueOf(stan.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** What a response and its request share: the MTI pair (0200 and 0210 both give 020) and the key fields. */
	private record Key(String pair, List<String> values) {

		String describe(List<Integer> fields) {
			StringBuilder text = new StringBuilder("MTI " + this.pair + "x");
			for (int i = 0; i < fields.size(); i++) {
				text.append(", DE").append(fields.get(i)).append(" '").append(this.values.get(i)).append("'");
			}
			return text.toString();
		}

	}

	private record Pending(long id, long sentNanos) {
	}

}

package dev.dualsocket.transport;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

import dev.dualsocket.Limit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the byte stream into {@link Frame}s. A frame whose declared length exceeds the maximum frame size is
 * refused from its length prefix alone, before any memory is allocated for it; a length shorter than the header or an
 * unknown type is refused too. After a refusal the decoder drops everything else that arrives on the connection,
 * which the error handler closes.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

	private final int maxFrameSize;

	/** The limit in force: lower than {@link #maxFrameSize} until the connection's handshake completes. */
	private int limit;

	private boolean refused;

	/** Whether the FIELDS flag is honoured: only once the handshake agreed on version 2. */
	private boolean fields;

	/**
	 * Creates a decoder.
	 * @param maxFrameSize the largest frame accepted, counted from the type byte to the end of the payload
	 */
	public FrameDecoder(int maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
		this.limit = maxFrameSize;
	}

	/**
	 * Reads no frame longer than the given length until {@link #handshakeCompleted(int)}: a connection that has not been
	 * accepted into a link cannot make this side buffer a frame of {@code max-frame-size}.
	 * @param length the limit before the handshake
	 */
	public void limitUntilHandshake(int length) {
		this.limit = Math.min(length, this.maxFrameSize);
	}

	/**
	 * Lifts the limit of {@link #limitUntilHandshake(int)} and, from version 2, reads header fields. Called on the
	 * connection's event loop.
	 * @param version the protocol version the handshake agreed on
	 */
	public void handshakeCompleted(int version) {
		this.limit = this.maxFrameSize;
		this.fields = version >= 2;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.refused) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (in.readableBytes() < Frame.LENGTH_PREFIX) {
			return;
		}
		int start = in.readerIndex();
		long length = in.getUnsignedInt(start);
		if (length > this.limit) {
			boolean handshaking = this.limit < this.maxFrameSize;
			throw refuse(handshaking
					? "frame of " + length + " bytes before the handshake completed; at most " + this.limit + " are read"
							+ " until then"
					: "frame of " + length + " bytes exceeds max-frame-size of " + this.maxFrameSize + " bytes",
					handshaking ? Limit.HANDSHAKE_FRAME_SIZE : Limit.FRAME_SIZE);
		}
		if (length < Frame.HEADER_LENGTH) {
			throw refuse("frame length " + length + " is shorter than the " + Frame.HEADER_LENGTH + "-byte header");
		}
		if (in.readableBytes() < Frame.LENGTH_PREFIX + length) {
			return;
		}
		int typeCode = in.getUnsignedByte(start + Frame.LENGTH_PREFIX);
		FrameType type = FrameType.ofCode(typeCode);
		if (type == null || (!this.fields && (type == FrameType.QUIESCE || type == FrameType.RESUME))) {
			// QUIESCE and RESUME are version 2's: on a version-1 connection they are as unknown as any other code.
			throw refuse(String.format("unknown frame type 0x%02x", typeCode));
		}
		// Bits of the flags byte other than FIELDS are reserved: senders write 0, receivers ignore them.
		int flags = in.getUnsignedByte(start + Frame.LENGTH_PREFIX + 1);
		long id = in.getLong(start + Frame.LENGTH_PREFIX + 2);
		byte[] payload = new byte[(int) length - Frame.HEADER_LENGTH];
		in.getBytes(start + Frame.LENGTH_PREFIX + Frame.HEADER_LENGTH, payload);
		in.skipBytes(Frame.LENGTH_PREFIX + (int) length);
		if (this.fields && (flags & Frame.FLAG_FIELDS) != 0) {
			out.add(withFields(type, id, payload));
		}
		else {
			out.add(new Frame(type, id, payload));
		}
	}

	private Frame withFields(FrameType type, long id, byte[] payload) {
		ByteBuffer buffer = ByteBuffer.wrap(payload);
		FieldList fields;
		try {
			fields = FieldList.readFrom(buffer, type + " frame");
			// No header field is defined yet: every critical one is unknown.
			fields.requireKnownCritical(Set.of(), type + " frame");
			if (type == FrameType.REQUEST) {
				RequestFields.check(fields);
			}
		}
		catch (ProtocolViolationException ex) {
			throw refuse(ex.getMessage());
		}
		byte[] rest = new byte[buffer.remaining()];
		buffer.get(rest);
		return new Frame(type, id, rest, fields);
	}

	private ProtocolViolationException refuse(String reason) {
		return refuse(reason, null);
	}

	private ProtocolViolationException refuse(String reason, @Nullable Limit limit) {
		this.refused = true;
		return new ProtocolViolationException(reason, limit);
	}

}

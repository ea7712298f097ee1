package dev.dualsocket.iso8583;

import java.util.List;

import dev.dualsocket.Limit;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts a connection's bytes into ISO 8583 messages by their length header, handing each on as a {@code byte[]} of
 * the packed message. A header that announces more than the maximum frame size is refused as soon as it is read,
 * before any of the message is buffered; the connection is then closed. From the refusal on, the bytes that still
 * arrive (and the close) are dropped unread: nothing past the refused header is kept, and the refusal is not thrown
 * again.
 */
final class Iso8583FrameDecoder extends ByteToMessageDecoder {

	private final LengthHeader header;

	private final int maxLength;

	private boolean refused;

	Iso8583FrameDecoder(LengthHeader header, int maxFrameSize) {
		this.header = header;
		this.maxLength = Math.min(maxFrameSize, header.maxLength());
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.refused) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (in.readableBytes() < this.header.bytes()) {
			return;
		}
		int length;
		try {
			length = this.header.peek(in);
		}
		catch (ProtocolViolationException ex) {
			throw refuse(in, ex);
		}
		if (length > this.maxLength) {
			throw refuse(in, new ProtocolViolationException("ISO 8583 length header announces " + length
					+ " bytes, more than the maximum frame size of " + this.maxLength, Limit.FRAME_SIZE));
		}
		if (length == 0) {
			throw refuse(in, new ProtocolViolationException("ISO 8583 length header announces an empty message"));
		}
		if (in.readableBytes() < this.header.bytes() + length) {
			return;
		}
		in.skipBytes(this.header.bytes());
		byte[] message = new byte[length];
		in.readBytes(message);
		out.add(message);
	}

	/** Drops what is buffered and all that follows; the connection is closed for the violation. */
	private ProtocolViolationException refuse(ByteBuf in, ProtocolViolationException violation) {
		this.refused = true;
		in.skipBytes(in.readableBytes());
		return violation;
	}

}

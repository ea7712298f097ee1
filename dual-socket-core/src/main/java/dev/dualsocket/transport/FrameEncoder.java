package dev.dualsocket.transport;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link Frame}: 4-byte length, type, flags, 8-byte id, header fields if any, payload; all integers
 * big-endian.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {

	/** The encoder holds no state, so every pipeline shares this one. */
	public static final FrameEncoder INSTANCE = new FrameEncoder();

	private FrameEncoder() {
		super(Frame.class);
	}

	@Override
	protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
		return ctx.alloc().ioBuffer(frame.encodedLength());
	}

	@Override
	protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
		encode(frame, out);
	}

	/**
	 * Appends a frame's wire form to a buffer.
	 * @param frame the frame
	 * @param out the buffer, with {@link Frame#encodedLength()} bytes writable
	 */
	static void encode(Frame frame, ByteBuf out) {
		out.writeInt(frame.encodedLength() - Frame.LENGTH_PREFIX);
		out.writeByte(frame.type().code());
		if (frame.fields().isEmpty()) {
			out.writeByte(0);
			out.writeLong(frame.id());
		}
		else {
			out.writeByte(Frame.FLAG_FIELDS);
			out.writeLong(frame.id());
			ByteBuffer fields = ByteBuffer.allocate(frame.fields().encodedLength());
			frame.fields().writeTo(fields);
			out.writeBytes(fields.flip());
		}
		out.writeBytes(frame.payload());
	}

}

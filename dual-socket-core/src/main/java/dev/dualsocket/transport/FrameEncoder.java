package dev.dualsocket.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link Frame}: 4-byte length, type, flags (zero), 8-byte id, payload; all integers big-endian.
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
		out.writeInt(Frame.HEADER_LENGTH + frame.payload().length);
		out.writeByte(frame.type().code());
		out.writeByte(0);
		out.writeLong(frame.id());
		out.writeBytes(frame.payload());
	}

}

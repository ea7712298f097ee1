package dev.dualsocket.smpp;

import java.util.List;

import dev.dualsocket.Limit;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts a connection's bytes into SMPP PDUs, each handed on as the {@code byte[]} of the whole PDU. command_length is
 * the PDU's length including its own 4 bytes; one below the 16-byte header or above the limit is refused as soon as
 * its 4 bytes are in, without buffering the rest. Until the bind is done the limit is
 * {@value #MAX_BIND_PDU_LENGTH} bytes, so that a connection not yet bound cannot make this side buffer a PDU of
 * {@code max-frame-size}.
 */
final class PduDecoder extends ByteToMessageDecoder {

	/** The longest PDU read before the bind is done; a bind or its answer is about 100 bytes. */
	static final int MAX_BIND_PDU_LENGTH = 1024;

	private final int maxFrameSize;

	private int limit;

	private boolean refused;

	PduDecoder(int maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
		this.limit = Math.min(MAX_BIND_PDU_LENGTH, maxFrameSize);
	}

	/** The bind is done: PDUs up to {@code max-frame-size} are read from now on. Called on the event loop. */
	void bound() {
		this.limit = this.maxFrameSize;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.refused) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (in.readableBytes() < 4) {
			return;
		}
		long length = in.getUnsignedInt(in.readerIndex());
		if (length < Pdus.HEADER_LENGTH) {
			throw refuse(in, "command_length " + length + " is shorter than the 16-byte SMPP header", null);
		}
		if (length > this.limit) {
			boolean binding = this.limit < this.maxFrameSize;
			throw refuse(in, binding
					? "PDU of " + length + " bytes before the bind; at most " + this.limit + " are read until then"
					: "PDU of " + length + " bytes exceeds max-frame-size of " + this.maxFrameSize + " bytes",
					binding ? Limit.HANDSHAKE_FRAME_SIZE : Limit.FRAME_SIZE);
		}
		if (in.readableBytes() < length) {
			return;
		}
		byte[] pdu = new byte[(int) length];
		in.readBytes(pdu);
		out.add(pdu);
	}

	/** Drops what is buffered, the refused length's bytes and those after them; later reads are dropped too. */
	private ProtocolViolationException refuse(ByteBuf in, String why, @org.jspecify.annotations.Nullable Limit limit) {
		this.refused = true;
		in.skipBytes(in.readableBytes());
		return new ProtocolViolationException(why, limit);
	}

}

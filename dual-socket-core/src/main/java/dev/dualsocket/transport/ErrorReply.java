package dev.dualsocket.transport;

import java.nio.ByteBuffer;

import dev.dualsocket.RemoteRequestException;

/**
 * The payload of an {@link FrameType#ERROR} frame: why a request produced no response.
 *
 * @param reason the kind of error
 * @param message a sentence for the requester
 */
public record ErrorReply(RemoteRequestException.Reason reason, String message) {

	public Frame toFrame(long requestId) {
		byte[] text = Wire.utf8(this.message);
		ByteBuffer buffer = ByteBuffer.allocate(2 + text.length);
		buffer.putShort((short) codeOf(this.reason));
		buffer.put(text);
		return new Frame(FrameType.ERROR, requestId, buffer.array());
	}

	public static ErrorReply fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		int code = Wire.getUnsignedShort(buffer, "error code");
		return new ErrorReply(reasonOf(code), Wire.utf8(buffer));
	}

	public RemoteRequestException toException() {
		return new RemoteRequestException(this.reason, this.message);
	}

	private static int codeOf(RemoteRequestException.Reason reason) {
		return switch (reason) {
			case HANDLER_FAILED -> 1;
			case NO_HANDLER -> 2;
			case BUSY -> 3;
			case SHUTTING_DOWN -> 4;
			case DUPLICATE_EXPIRED -> 5;
		};
	}

	private static RemoteRequestException.Reason reasonOf(int code) {
		return switch (code) {
			case 2 -> RemoteRequestException.Reason.NO_HANDLER;
			case 3 -> RemoteRequestException.Reason.BUSY;
			case 4 -> RemoteRequestException.Reason.SHUTTING_DOWN;
			case 5 -> RemoteRequestException.Reason.DUPLICATE_EXPIRED;
			default -> RemoteRequestException.Reason.HANDLER_FAILED;
		};
	}

}

package dev.dualsocket.transport;

import java.nio.ByteBuffer;

/**
 * The server's answer to a {@link Hello} that it refused. The server closes the connection after sending it.
 *
 * @param reason why the connection was refused
 * @param message a sentence for the client's log
 */
public record HelloReject(Reason reason, String message) {

	public Frame toFrame() {
		byte[] text = Wire.utf8(this.message);
		ByteBuffer buffer = ByteBuffer.allocate(2 + text.length);
		buffer.putShort((short) this.reason.code);
		buffer.put(text);
		return new Frame(FrameType.HELLO_REJECT, 0, buffer.array());
	}

	public static HelloReject fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		Reason reason = Reason.ofCode(Wire.getUnsignedShort(buffer, "reason"));
		return new HelloReject(reason, Wire.utf8(buffer));
	}

	/**
	 * Why a server refuses a connection.
	 */
	public enum Reason {

		/** Reason code this side does not know (sent by a newer peer). */
		UNKNOWN(0),

		/** The server does not speak the client's protocol version. */
		UNSUPPORTED_VERSION(1),

		/** The HELLO could not be parsed. */
		MALFORMED_HELLO(2),

		/**
		 * The session the client names has ended on the server (the link was disconnected or forgotten); the client
		 * must establish the link anew, with a new session.
		 */
		SESSION_ENDED(3),

		/** The endpoint requires authentication and the connection did not prove it. */
		AUTHENTICATION_FAILED(4),

		/** The server endpoint is shutting down. */
		SHUTTING_DOWN(5),

		/** The server endpoint already holds as many links as it may; the client tries again later. */
		LINK_LIMIT(6),

		/**
		 * The HELLO opens a new session for a link whose current session is still live, on an endpoint that does not
		 * authenticate; the client tries again later.
		 */
		LINK_IN_USE(7),

		/**
		 * The HELLO carries a lower fencing epoch than the highest the server has accepted for the link: another
		 * instance of the client's service has taken the link over (section 4.6).
		 */
		STALE_EPOCH(8);

		private final int code;

		Reason(int code) {
			this.code = code;
		}

		public int code() {
			return this.code;
		}

		static Reason ofCode(int code) {
			for (Reason reason : values()) {
				if (reason.code == code) {
					return reason;
				}
			}
			return UNKNOWN;
		}

	}

}

package dev.dualsocket.transport;

import java.io.IOException;

/**
 * The server refused a connection's handshake.
 */
public class HandshakeRejectedException extends IOException {

	private static final long serialVersionUID = 1L;

	private final HelloReject.Reason reason;

	public HandshakeRejectedException(HelloReject reject) {
		super("server refused the handshake (" + reject.reason() + "): " + reject.message());
		this.reason = reject.reason();
	}

	public HelloReject.Reason getReason() {
		return this.reason;
	}

}

package dev.dualsocket.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A connection was closed because its peer broke the protocol: an oversized or malformed frame, a handshake this
 * side cannot accept, a frame with no place where it arrived. Only that connection is closed.
 */
public class ProtocolErrorEvent extends DualSocketEvent {

	private final String remoteAddress;

	private final String reason;

	public ProtocolErrorEvent(String endpoint, @Nullable String linkId, String remoteAddress, String reason,
			Instant time) {
		super(endpoint, linkId, time);
		this.remoteAddress = remoteAddress;
		this.reason = reason;
	}

	public String getRemoteAddress() {
		return this.remoteAddress;
	}

	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "ProtocolErrorEvent[" + getEndpoint() + " " + this.remoteAddress + ": " + this.reason + "]";
	}

}

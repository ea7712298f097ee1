package dev.dualsocket.event;

import java.time.Instant;

import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;

/**
 * One socket of a link failed. What is done about it follows as {@link LinkStateChangedEvent}s.
 */
public class SocketFailedEvent extends DualSocketEvent {

	private final SocketRole socket;

	private final SocketFailure failure;

	public SocketFailedEvent(String endpoint, String linkId, SocketRole socket, SocketFailure failure, Instant time) {
		super(endpoint, linkId, time);
		this.socket = socket;
		this.failure = failure;
	}

	public SocketRole getSocket() {
		return this.socket;
	}

	public SocketFailure getFailure() {
		return this.failure;
	}

	@Override
	public String toString() {
		return "SocketFailedEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.socket.label() + ": " + this.failure
				+ "]";
	}

}

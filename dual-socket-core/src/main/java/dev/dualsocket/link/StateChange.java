package dev.dualsocket.link;

import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import org.jspecify.annotations.Nullable;

/**
 * Why a link changes state, which socket and procedure are involved, and what the link will do next; the last part
 * goes to the log line only.
 *
 * @param cause why, in words
 * @param socket the socket involved, or {@code null}
 * @param procedure the procedure making the change, or {@code null}
 * @param next what happens next, in words, or empty
 */
record StateChange(String cause, @Nullable SocketRole socket, @Nullable RecoveryProcedure procedure, String next) {

	/** The cause of a disconnect after the peer said it was shutting down and closed its sockets. */
	static final String PEER_CLOSED = "peer closed";

	static StateChange because(String cause) {
		return new StateChange(cause, null, null, "");
	}

	StateChange on(SocketRole socket) {
		return new StateChange(this.cause, socket, this.procedure, this.next);
	}

	StateChange in(RecoveryProcedure procedure) {
		return new StateChange(this.cause, this.socket, procedure, this.next);
	}

	boolean isPeerClosed() {
		return PEER_CLOSED.equals(this.cause);
	}

	StateChange then(String next) {
		return new StateChange(this.cause, this.socket, this.procedure, next);
	}

}

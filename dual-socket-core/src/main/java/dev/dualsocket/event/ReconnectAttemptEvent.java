package dev.dualsocket.event;

import java.time.Duration;
import java.time.Instant;

import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import org.jspecify.annotations.Nullable;

/**
 * A client made one attempt to re-connect a socket (inside a recovery procedure) or to establish its whole link.
 */
public class ReconnectAttemptEvent extends DualSocketEvent {

	private final RecoveryProcedure procedure;

	private final @Nullable SocketRole socket;

	private final int attempt;

	private final Duration delay;

	private final @Nullable String error;

	public ReconnectAttemptEvent(String endpoint, String linkId, RecoveryProcedure procedure,
			@Nullable SocketRole socket, int attempt, Duration delay, @Nullable String error, Instant time) {
		super(endpoint, linkId, time);
		this.procedure = procedure;
		this.socket = socket;
		this.attempt = attempt;
		this.delay = delay;
		this.error = error;
	}

	public RecoveryProcedure getProcedure() {
		return this.procedure;
	}

	/**
	 * The socket being re-connected.
	 * @return the socket, or {@code null} when the whole link is being established
	 */
	public @Nullable SocketRole getSocket() {
		return this.socket;
	}

	/**
	 * The number of this attempt, from 1.
	 * @return the attempt number
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * How long the client waited before this attempt (the back-off).
	 * @return the delay; zero for a first attempt
	 */
	public Duration getDelay() {
		return this.delay;
	}

	/**
	 * Why the attempt failed.
	 * @return the error, or {@code null} when the attempt succeeded
	 */
	public @Nullable String getError() {
		return this.error;
	}

	public boolean isSuccessful() {
		return this.error == null;
	}

	@Override
	public String toString() {
		return "ReconnectAttemptEvent[" + getEndpoint() + "/" + getLinkId() + " " + this.procedure.figure() + " attempt "
				+ this.attempt + ((this.error != null) ? " failed: " + this.error : " succeeded") + "]";
	}

}

package dev.dualsocket.transport;

import org.jspecify.annotations.Nullable;

/**
 * What a server does with a {@link Hello}: accept it and attach the connection to a link, or refuse it.
 */
public final class HandshakeDecision {

	private static final byte[] NO_TOKEN = new byte[0];

	private final @Nullable Runnable attach;

	private final byte[] token;

	private final @Nullable HelloReject reject;

	private final long epoch;

	private final boolean keepsAnswers;

	private HandshakeDecision(@Nullable Runnable attach, byte[] token, @Nullable HelloReject reject, long epoch,
			boolean keepsAnswers) {
		this.attach = attach;
		this.token = token;
		this.reject = reject;
		this.epoch = epoch;
		this.keepsAnswers = keepsAnswers;
	}

	/**
	 * Accept the connection.
	 * @param token the token of the session the connection joins, sent back in the {@link HelloAccept}
	 * @param attach attaches it to its link; runs on the event loop right after the accept is written
	 * @return the decision
	 */
	public static HandshakeDecision accept(byte[] token, Runnable attach) {
		return accept(token, attach, 0, false);
	}

	/**
	 * Accept the connection, from a server that may run as one of several instances.
	 * @param token the token of the session the connection joins, sent back in the {@link HelloAccept}
	 * @param attach attaches it to its link; runs on the event loop right after the accept is written
	 * @param epoch the server instance's fencing epoch (section 4.6 of the protocol), or 0 for none
	 * @param keepsAnswers whether the server keeps the answers of keyed requests across sessions (section 6.6)
	 * @return the decision
	 */
	public static HandshakeDecision accept(byte[] token, Runnable attach, long epoch, boolean keepsAnswers) {
		return new HandshakeDecision(attach, token, null, epoch, keepsAnswers);
	}

	/**
	 * Refuse the connection.
	 * @param reason why
	 * @param message a sentence for the client's log
	 * @return the decision
	 */
	public static HandshakeDecision reject(HelloReject.Reason reason, String message) {
		return new HandshakeDecision(null, NO_TOKEN, new HelloReject(reason, message), 0, false);
	}

	/**
	 * What attaches an accepted connection, for a protocol binding's handshake handler to run right after it answered.
	 * @return the attach step, or {@code null} for a refusal
	 */
	public @Nullable Runnable attach() {
		return this.attach;
	}

	byte[] token() {
		return this.token;
	}

	/**
	 * Why the connection is refused, for a protocol binding's handshake handler to log or answer in its own terms.
	 * @return the refusal, or {@code null} for an acceptance
	 */
	public @Nullable HelloReject rejection() {
		return this.reject;
	}

	long epoch() {
		return this.epoch;
	}

	boolean keepsAnswers() {
		return this.keepsAnswers;
	}

}

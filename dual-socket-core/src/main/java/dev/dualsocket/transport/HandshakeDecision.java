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

	private HandshakeDecision(@Nullable Runnable attach, byte[] token, @Nullable HelloReject reject) {
		this.attach = attach;
		this.token = token;
		this.reject = reject;
	}

	/**
	 * Accept the connection.
	 * @param token the token of the session the connection joins, sent back in the {@link HelloAccept}
	 * @param attach attaches it to its link; runs on the event loop right after the accept is written
	 * @return the decision
	 */
	public static HandshakeDecision accept(byte[] token, Runnable attach) {
		return new HandshakeDecision(attach, token, null);
	}

	/**
	 * Refuse the connection.
	 * @param reason why
	 * @param message a sentence for the client's log
	 * @return the decision
	 */
	public static HandshakeDecision reject(HelloReject.Reason reason, String message) {
		return new HandshakeDecision(null, NO_TOKEN, new HelloReject(reason, message));
	}

	@Nullable Runnable attach() {
		return this.attach;
	}

	byte[] token() {
		return this.token;
	}

	@Nullable HelloReject rejection() {
		return this.reject;
	}

}

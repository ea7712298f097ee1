package dev.dualsocket.transport;

import org.jspecify.annotations.Nullable;

/**
 * What a server does with a {@link Hello}: accept it and attach the connection to a link, or refuse it.
 */
public final class HandshakeDecision {

	private final @Nullable Runnable attach;

	private final @Nullable HelloReject reject;

	private HandshakeDecision(@Nullable Runnable attach, @Nullable HelloReject reject) {
		this.attach = attach;
		this.reject = reject;
	}

	/**
	 * Accept the connection.
	 * @param attach attaches it to its link; runs on the event loop right after the accept is written
	 * @return the decision
	 */
	public static HandshakeDecision accept(Runnable attach) {
		return new HandshakeDecision(attach, null);
	}

	/**
	 * Refuse the connection.
	 * @param reason why
	 * @param message a sentence for the client's log
	 * @return the decision
	 */
	public static HandshakeDecision reject(HelloReject.Reason reason, String message) {
		return new HandshakeDecision(null, new HelloReject(reason, message));
	}

	@Nullable Runnable attach() {
		return this.attach;
	}

	@Nullable HelloReject rejection() {
		return this.reject;
	}

}

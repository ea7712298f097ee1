package dev.dualsocket.ha;

import java.util.Objects;

/**
 * What a {@link ServedRequestStore} knows of a request it was asked to claim.
 *
 * @param kind whether the request was answered, and how
 * @param payload for {@link Kind#RESPONSE} the response payload, for {@link Kind#ERROR} the payload of the
 * {@code ERROR} frame (code and text, section 6.2 of the protocol); empty for {@link Kind#IN_DOUBT}
 */
public record StoredAnswer(Kind kind, byte[] payload) {

	/** A request claimed earlier whose answer was never stored: it may have run. */
	public static final StoredAnswer IN_DOUBT = new StoredAnswer(Kind.IN_DOUBT, new byte[0]);

	public StoredAnswer {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(payload, "payload");
	}

	/** What the store knows of a request. */
	public enum Kind {

		/** It ran and was answered with a {@code RESPONSE}. */
		RESPONSE,

		/** It was answered with an {@code ERROR}. */
		ERROR,

		/**
		 * It was claimed (by this instance or another) and has no stored answer: it is still running, or the instance
		 * that ran it died before storing the answer. It must not run again.
		 */
		IN_DOUBT

	}

}

package dev.dualsocket.link;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One incarnation of a link, from an establishment to its end: the client's session id, the token the server handed
 * out for it, and the record of the peer's requests served in it. Every connection is attached in one session, and
 * what belongs to a session (a reply, a re-sent request) only ever travels on a connection of that session, so
 * nothing of an ended session can reach a new one.
 */
final class Session {

	/** The length of a session token, in bytes: 128 bits. */
	static final int TOKEN_LENGTH = 16;

	private static final byte[] NO_TOKEN = new byte[0];

	private static final SecureRandom RANDOM = new SecureRandom();

	private final long id;

	private final ServedRequests served;

	/** Ids for the peer's requests, for a protocol binding whose peer sends none of the engine's kind. */
	private final AtomicLong peerRequestIds = new AtomicLong();

	/** Empty on a client until the server accepted the session's first connection; written once. */
	private volatile byte[] token;

	/** A client's session whose server keeps the answers of keyed requests across sessions (section 6.6). */
	private volatile boolean keepsAnswers;

	private Session(long id, byte[] token, LinkSettings settings) {
		this.id = id;
		this.token = token;
		this.served = new ServedRequests(settings.duplicateCacheSize(), settings.duplicateCacheBytes());
	}

	/**
	 * A fresh session id: random, never 0 (which names no session).
	 */
	static long newId() {
		long id;
		do {
			id = ThreadLocalRandom.current().nextLong();
		}
		while (id == 0);
		return id;
	}

	/**
	 * A session a client opens: its token comes with the server's answer to the first connection.
	 */
	static Session opening(long id, LinkSettings settings) {
		return new Session(id, NO_TOKEN, settings);
	}

	/**
	 * A session a server takes up for a client's new session, with a fresh random token.
	 */
	static Session accepted(long id, LinkSettings settings) {
		byte[] token = new byte[TOKEN_LENGTH];
		RANDOM.nextBytes(token);
		return new Session(id, token, settings);
	}

	long id() {
		return this.id;
	}

	byte[] token() {
		return this.token;
	}

	ServedRequests served() {
		return this.served;
	}

	AtomicLong peerRequestIds() {
		return this.peerRequestIds;
	}

	/** The server of this client's session said it keeps the answers of keyed requests across sessions. */
	void markKeepsAnswers() {
		this.keepsAnswers = true;
	}

	/**
	 * Whether the server of this client's session keeps the answers of keyed requests across sessions, so that the
	 * requests sent in it carry their keys and may be sent in a later session (section 6.6 of the protocol).
	 * @return whether it does
	 */
	boolean keepsAnswers() {
		return this.keepsAnswers;
	}

	/**
	 * Whether a handshake names this session: its id and, in constant time, its token.
	 */
	boolean isNamedBy(long sessionId, byte @Nullable [] presentedToken) {
		return this.id == sessionId && presentedToken != null && this.token.length > 0
				&& MessageDigest.isEqual(this.token, presentedToken);
	}

	/**
	 * Takes the token the server accepted a connection with: the first one is kept; a later one must be the same.
	 * Called under the link's lock.
	 * @return whether the token is this session's
	 */
	boolean adoptToken(byte[] accepted) {
		if (this.token.length == 0) {
			if (accepted.length == 0) {
				return false;
			}
			this.token = accepted.clone();
			return true;
		}
		return MessageDigest.isEqual(this.token, accepted);
	}

	@Override
	public String toString() {
		// Session ids and tokens are secrets: they never appear in logs.
		return "Session[" + ((this.token.length > 0) ? "accepted" : "opening") + "]";
	}

}

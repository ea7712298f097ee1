package dev.dualsocket.ha;

import java.nio.ByteBuffer;

/**
 * What identifies a request across the sessions of a link (section 6.6 of the protocol): the session the requester
 * first sent it in and its id there. A request re-sent in a later session, possibly to another instance of the
 * server, keeps its key; the link id completes it.
 *
 * @param originSession the requester's session id when it first sent the request (never 0)
 * @param originId the request's id in that session
 */
public record RequestKey(long originSession, long originId) {

	/**
	 * The key as the {@code REQUEST} header field carries it: the origin session, then the origin id, each an i64.
	 * @return 16 bytes
	 */
	public byte[] toBytes() {
		return ByteBuffer.allocate(16).putLong(this.originSession).putLong(this.originId).array();
	}

	/**
	 * Reads a key from its header field.
	 * @param field the 16 bytes of the field, as {@link #toBytes()} makes them
	 * @return the key
	 */
	public static RequestKey fromBytes(byte[] field) {
		ByteBuffer bytes = ByteBuffer.wrap(field);
		return new RequestKey(bytes.getLong(), bytes.getLong());
	}

	@Override
	public String toString() {
		// Session ids are secrets of the link's peers (section 9): only the id is shown.
		return "request " + this.originId + " of an earlier session";
	}

}

package dev.dualsocket.protocol;

import dev.dualsocket.transport.ChannelKind;

/**
 * What a server's handshake learned about a new connection, for the endpoint to decide where it goes.
 *
 * @param linkId the link the connection belongs to
 * @param channel which of the link's two connections it is
 * @param sessionId the client's session id, or 0 from a protocol without sessions
 * @param token the session token presented, or empty: a connection that opens a new session, or one of a protocol
 * without tokens (see {@code joinsLiveSession})
 * @param epoch the client's fencing epoch, or 0
 * @param authenticated whether the connection proved it belongs to the link (a secret, a certificate, a password)
 * @param joinsLiveSession from a protocol without session tokens: the connection joins the link's session if it is
 * live, replacing a failed connection of the same kind, rather than opening a new one
 */
public record JoinRequest(String linkId, ChannelKind channel, long sessionId, byte[] token, long epoch,
		boolean authenticated, boolean joinsLiveSession) {

	/**
	 * A connection of a protocol without sessions or tokens.
	 * @param linkId the link
	 * @param channel which connection
	 * @param authenticated whether it proved it belongs to the link
	 * @return the request
	 */
	public static JoinRequest withoutSession(String linkId, ChannelKind channel, boolean authenticated) {
		return new JoinRequest(linkId, channel, 0, new byte[0], 0, authenticated, true);
	}

}

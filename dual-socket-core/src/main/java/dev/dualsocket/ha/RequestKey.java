package dev.dualsocket.ha;

/**
 * What identifies a request across the sessions of a link (section 6.6 of the protocol): the session the requester
 * first sent it in and its id there. A request re-sent in a later session, possibly to another instance of the
 * server, keeps its key; the link id completes it.
 *
 * @param originSession the requester's session id when it first sent the request (never 0)
 * @param originId the request's id in that session
 */
public record RequestKey(long originSession, long originId) {

	@Override
	public String toString() {
		// Session ids are secrets of the link's peers (section 9): only the id is shown.
		return "request " + this.originId + " of an earlier session";
	}

}

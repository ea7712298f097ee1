package dev.dualsocket.link;

/**
 * A request that a peer sent.
 *
 * @param endpoint the name of the endpoint it arrived on
 * @param linkId the link it arrived on
 * @param requestId the peer's id for the request, unique within the link's session
 * @param payload the request payload
 */
public record IncomingRequest(String endpoint, String linkId, long requestId, byte[] payload) {
}

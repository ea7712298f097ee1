package dev.dualsocket.link;

import org.jspecify.annotations.Nullable;

/**
 * A request that a peer sent.
 *
 * @param endpoint the name of the endpoint it arrived on
 * @param linkId the link it arrived on
 * @param requestId the peer's id for the request, unique within the link's session
 * @param payload the request payload
 * @param headers its header fields: message type and trace context, each possibly absent
 */
public record IncomingRequest(String endpoint, String linkId, long requestId, byte[] payload, RequestHeaders headers) {

	/**
	 * A request without header fields.
	 * @param endpoint the name of the endpoint it arrived on
	 * @param linkId the link it arrived on
	 * @param requestId the peer's id for the request
	 * @param payload the request payload
	 */
	public IncomingRequest(String endpoint, String linkId, long requestId, byte[] payload) {
		this(endpoint, linkId, requestId, payload, RequestHeaders.NONE);
	}

	/**
	 * What kind of request it is, as the peer said (section 2.1 of the protocol).
	 * @return the message type, or {@code null} if the peer sent none
	 */
	public @Nullable String messageType() {
		return this.headers.messageType();
	}

}

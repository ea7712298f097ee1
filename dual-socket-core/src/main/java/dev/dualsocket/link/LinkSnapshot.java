package dev.dualsocket.link;

import java.time.Instant;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.LinkState;
import org.jspecify.annotations.Nullable;

/**
 * One link at one moment.
 *
 * @param endpoint the endpoint's name
 * @param linkId the link's id
 * @param role the endpoint's role
 * @param state the link's state
 * @param since when it entered that state
 * @param cause why it entered that state
 * @param outbound the outbound socket
 * @param inbound the inbound socket
 * @param requestsInFlight requests sent (or waiting to be sent) and not yet answered
 * @param quiesced whether this side quiesced the link (it is {@link LinkState#QUIESCED} also when only the peer did)
 * @param peerQuiesced whether the peer said it is quiesced
 * @param heldRequests the peer's requests waiting for this side to resume
 * @param diagnosis the last diagnosis of a socket failure that reached its verdict (seed 003), or {@code null}
 * @param connectAttempts a client's attempts to establish the link, with the last error and when the next is due;
 * {@code null} on a server's link
 */
public record LinkSnapshot(String endpoint, String linkId, EndpointRole role, LinkState state, Instant since,
		String cause, SocketSnapshot outbound, SocketSnapshot inbound, int requestsInFlight, boolean quiesced,
		boolean peerQuiesced, int heldRequests, @Nullable FailureDiagnosis diagnosis,
		@Nullable ConnectAttempts connectAttempts) {
}

package dev.dualsocket.link;

import java.time.Duration;
import java.time.Instant;

import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import org.jspecify.annotations.Nullable;

/**
 * One socket of a link at one moment.
 *
 * @param role which socket
 * @param up whether a connection is attached
 * @param localAddress the local address of the connection, or {@code null} when down
 * @param remoteAddress the peer's address of the connection, or {@code null} when down
 * @param connectedSince when the current connection was attached, or {@code null} when down
 * @param connects how many connections have been attached to this socket
 * @param failures how many times the socket failed
 * @param lastFailure the last failure, or {@code null} if none
 * @param lastFailureAt when it happened, or {@code null}
 * @param heartbeatRoundTrip the last heartbeat round trip, or {@code null} before the first answer
 */
public record SocketSnapshot(SocketRole role, boolean up, @Nullable String localAddress,
		@Nullable String remoteAddress, @Nullable Instant connectedSince, int connects, int failures,
		@Nullable SocketFailure lastFailure, @Nullable Instant lastFailureAt, @Nullable Duration heartbeatRoundTrip) {
}

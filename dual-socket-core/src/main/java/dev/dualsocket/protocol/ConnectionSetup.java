package dev.dualsocket.protocol;

import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.EndpointSettings;
import org.jspecify.annotations.Nullable;

/**
 * What is known of a new connection before its handshake.
 *
 * @param endpoint the settings of the endpoint that opened or accepted it
 * @param socket this side's socket the connection is meant for, when known before the handshake: always on a
 * client; on a server only where the protocol pairs by port ({@link Pairing#PORT})
 */
public record ConnectionSetup(EndpointSettings endpoint, @Nullable SocketRole socket) {
}

package dev.dualsocket.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the shared secret of a link, for the HMAC-SHA256 authentication of section 4.5 of the protocol: a server
 * asks it for each connection's link id, so that each client may hold a secret of its own. Called on an I/O thread
 * during the handshake: it must answer from memory, never block.
 */
@FunctionalInterface
public interface LinkSecretResolver {

	/**
	 * The secret of a link.
	 * @param endpoint the name of the endpoint asking
	 * @param linkId the link id the connection presents
	 * @return the secret's bytes (at least {@value dev.dualsocket.transport.Authentication#MIN_SECRET_LENGTH}), or
	 * {@code null} if the link has none and may not connect
	 */
	byte @Nullable [] secretFor(String endpoint, String linkId);

}

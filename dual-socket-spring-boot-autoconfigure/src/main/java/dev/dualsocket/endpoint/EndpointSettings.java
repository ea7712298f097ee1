package dev.dualsocket.endpoint;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.link.LinkSettings;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint's configuration.
 *
 * @param name the endpoint's name, used in logs, events, health and metrics
 * @param role client or server
 * @param host client: the peer's host; server: the address to listen on
 * @param port client: the peer's port; server: the port to listen on (0 picks a free one)
 * @param linkId client: the link id it presents; ignored by a server
 * @param link timing and recovery of the endpoint's links
 */
public record EndpointSettings(String name, EndpointRole role, String host, int port, @Nullable String linkId,
		LinkSettings link) {

	public static EndpointSettings client(String name, String host, int port, String linkId, LinkSettings link) {
		return new EndpointSettings(name, EndpointRole.CLIENT, host, port, linkId, link);
	}

	public static EndpointSettings server(String name, String host, int port, LinkSettings link) {
		return new EndpointSettings(name, EndpointRole.SERVER, host, port, null, link);
	}

}

package dev.dualsocket.test;

import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;

/**
 * What a test needs to know about an endpoint.
 */
public final class Endpoints {

	private Endpoints() {
	}

	/**
	 * The port a started server endpoint listens on: the one the kernel picked when it was configured with port 0
	 * ({@code dual-socket.endpoints.<name>.port: 0}), so that tests need not hunt for a free port.
	 * @param server a started server endpoint
	 * @return the bound port
	 * @throws IllegalArgumentException if the endpoint is not a server endpoint
	 * @throws IllegalStateException if it is not started
	 */
	public static int boundPort(DualSocketEndpoint server) {
		if (!(server instanceof ServerEndpoint listening)) {
			throw new IllegalArgumentException(
					"Endpoint '" + server.getName() + "' is not a server endpoint and listens on no port of its own");
		}
		return listening.getLocalAddress().getPort();
	}

}

package dev.dualsocket.bench;

import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.link.LinkSettings;

/**
 * Endpoint settings for every scenario, with authentication on: the benchmarks measure the configuration users run,
 * safety included (every connection proves the secret by HMAC-SHA256, section 4.5 of docs/PROTOCOL.md).
 */
final class SecuredEndpoints {

	/** The secret both ends of every benchmark link hold. */
	private static final LinkAuthentication AUTH = LinkAuthentication.secret("the benchmarks' shared link secret");

	private SecuredEndpoints() {
	}

	static EndpointSettings server(String name, String host, int port, LinkSettings link) {
		return EndpointSettings.server(name, host, port, link).withAuth(AUTH);
	}

	static EndpointSettings client(String name, String host, int port, String linkId, LinkSettings link) {
		return EndpointSettings.client(name, host, port, linkId, link).withAuth(AUTH);
	}

}

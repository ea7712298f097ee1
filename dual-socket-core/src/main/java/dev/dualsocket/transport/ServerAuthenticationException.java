package dev.dualsocket.transport;

import java.io.IOException;

/**
 * A client that holds its link's secret closed a connection because the server did not prove it knows the secret
 * (section 4.5 of the protocol): no server proof, or a wrong one. The server is not the one the link belongs to, or
 * the two ends hold different secrets.
 */
public class ServerAuthenticationException extends IOException {

	private static final long serialVersionUID = 1L;

	public ServerAuthenticationException(String message) {
		super(message);
	}

}

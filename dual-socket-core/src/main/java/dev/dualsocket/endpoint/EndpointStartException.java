package dev.dualsocket.endpoint;

/**
 * An endpoint could not start, for example because its port is already in use.
 */
public class EndpointStartException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String endpoint;

	private final String host;

	private final int port;

	public EndpointStartException(String endpoint, String host, int port, String message, Throwable cause) {
		super(message, cause);
		this.endpoint = endpoint;
		this.host = host;
		this.port = port;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public String getHost() {
		return this.host;
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * Whether the port the endpoint should listen on is taken by another process.
	 * @return {@code true} for "address already in use"
	 */
	public boolean isPortInUse() {
		Throwable cause = getCause();
		while (cause != null) {
			if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("in use")) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

}

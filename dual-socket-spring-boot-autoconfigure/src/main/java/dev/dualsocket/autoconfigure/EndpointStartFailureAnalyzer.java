package dev.dualsocket.autoconfigure;

import dev.dualsocket.endpoint.EndpointStartException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a server endpoint that could not listen on its port, most often because another process uses it.
 */
class EndpointStartFailureAnalyzer extends AbstractFailureAnalyzer<EndpointStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EndpointStartException cause) {
		String property = "dual-socket.endpoints." + cause.getEndpoint() + ".port";
		if (cause.isPortInUse()) {
			return new FailureAnalysis(
					"dual-socket endpoint '" + cause.getEndpoint() + "' failed to start: port " + cause.getPort()
							+ " on " + cause.getHost() + " is already in use.",
					"Identify and stop the process that is listening on port " + cause.getPort() + ", or set '"
							+ property + "' to another port (0 picks a free one).",
					cause);
		}
		return new FailureAnalysis(
				"dual-socket endpoint '" + cause.getEndpoint() + "' failed to start: " + cause.getMessage(),
				"Check 'dual-socket.endpoints." + cause.getEndpoint() + ".host' and '" + property
						+ "': the host must be an address of this machine.",
				cause);
	}

}

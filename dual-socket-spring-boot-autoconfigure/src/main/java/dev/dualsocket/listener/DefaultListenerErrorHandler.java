package dev.dualsocket.listener;

import java.util.concurrent.TimeUnit;

import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestFailedException;
import dev.dualsocket.support.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The starter's {@link DualSocketListenerErrorHandler}: logs the failure at WARN (at most one line per 10 s, with the
 * stack trace) and answers {@code HANDLER_FAILED}. The peer learns the listener's exception type and message only with
 * {@code dual-socket.listener.expose-errors=true}; otherwise it is told that the request failed and to look for its
 * id in this side's log, since an exception's text may hold what a peer should not learn.
 */
public class DefaultListenerErrorHandler implements DualSocketListenerErrorHandler {

	private static final Log logger = LogFactory.getLog(DefaultListenerErrorHandler.class);

	private final RateLimitedLog warnings = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private final boolean exposeErrors;

	/**
	 * @param exposeErrors whether the peer gets the exception's type and message
	 */
	public DefaultListenerErrorHandler(boolean exposeErrors) {
		this.exposeErrors = exposeErrors;
	}

	@Override
	public @Nullable Object handleError(IncomingRequest request, ListenerExecutionFailedException failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		this.warnings.warn(() -> failure.getMessage() + ": " + cause + "; the peer is told "
				+ (this.exposeErrors ? "the exception's type and message" : "only that the request failed"), cause);
		String text = this.exposeErrors ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
				: "the request failed on endpoint '" + request.endpoint() + "' (request " + request.requestId()
						+ "); the reason is in that side's log";
		throw new RequestFailedException(text);
	}

}

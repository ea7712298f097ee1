package dev.dualsocket.listener;

import dev.dualsocket.link.IncomingRequest;

/**
 * A {@link DualSocketListener} method failed: its payload could not be decoded, it threw, or the future it returned
 * completed exceptionally. Given to the {@link DualSocketListenerErrorHandler}; the cause is what failed.
 */
public class ListenerExecutionFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient IncomingRequest request;

	private final String listener;

	public ListenerExecutionFailedException(String listener, IncomingRequest request, Throwable cause) {
		super("Listener " + listener + " failed for request " + request.requestId() + " on link '" + request.linkId()
				+ "' of endpoint '" + request.endpoint() + "'", cause);
		this.request = request;
		this.listener = listener;
	}

	/**
	 * The request the listener failed on.
	 * @return the request
	 */
	public IncomingRequest getRequest() {
		return this.request;
	}

	/**
	 * The listener method, as {@code Class.method}.
	 * @return the listener
	 */
	public String getListener() {
		return this.listener;
	}

}

package dev.dualsocket.listener;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestFailedException;
import dev.dualsocket.link.RequestHandler;
import org.jspecify.annotations.Nullable;

/**
 * The request handler of an endpoint with several {@link DualSocketListener} methods: picks the one for the
 * request's message type (section 2.1 of the protocol), or the default one for a request that names no type or one no
 * listener has; without a default, such a request is answered {@code NO_HANDLER} and runs nothing.
 */
final class ListenerDispatcher implements RequestHandler {

	private final String endpoint;

	private final Map<String, ListenerMethodHandler> byType;

	private final @Nullable ListenerMethodHandler fallback;

	ListenerDispatcher(String endpoint, Map<String, ListenerMethodHandler> byType,
			@Nullable ListenerMethodHandler fallback) {
		this.endpoint = endpoint;
		this.byType = Map.copyOf(byType);
		this.fallback = fallback;
	}

	/** Blocking if any of its listeners is: it cannot tell before the request which one answers it. */
	@Override
	public boolean isBlocking() {
		return (this.fallback != null && this.fallback.isBlocking())
				|| this.byType.values().stream().anyMatch(ListenerMethodHandler::isBlocking);
	}

	@Override
	public byte[] handle(IncomingRequest request) throws Exception {
		return handleAsync(request).toCompletableFuture().get();
	}

	@Override
	public CompletionStage<byte[]> handleAsync(IncomingRequest request) {
		String type = request.messageType();
		ListenerMethodHandler listener = (type != null) ? this.byType.get(type) : null;
		if (listener == null) {
			listener = this.fallback;
		}
		if (listener == null) {
			return CompletableFuture.failedFuture(new RequestFailedException(RemoteRequestException.Reason.NO_HANDLER,
					"endpoint '" + this.endpoint + "' has no listener for "
							+ ((type != null) ? "message type '" + type + "'" : "requests without a message type")
							+ "; its message types are " + new TreeMap<>(this.byType).keySet()));
		}
		return listener.handleAsync(request);
	}

}

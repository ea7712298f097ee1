package dev.dualsocket.link;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A handler declared not to block ({@link RequestHandler#nonBlocking}): answers as the handler it wraps does.
 */
final class NonBlockingRequestHandler implements RequestHandler {

	private final RequestHandler delegate;

	NonBlockingRequestHandler(RequestHandler delegate) {
		this.delegate = Objects.requireNonNull(delegate, "handler");
	}

	/** The handler it wraps, whose own {@code handleAsync} says whether it answers later. */
	RequestHandler delegate() {
		return this.delegate;
	}

	@Override
	public byte[] handle(IncomingRequest request) throws Exception {
		return this.delegate.handle(request);
	}

	@Override
	public CompletionStage<byte[]> handleAsync(IncomingRequest request) throws Exception {
		return this.delegate.handleAsync(request);
	}

	@Override
	public boolean isBlocking() {
		return false;
	}

	@Override
	public String toString() {
		return "non-blocking " + this.delegate;
	}

}

package dev.dualsocket.observation;

import java.util.Locale;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestObserver.Outcome;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of an {@link DualSocketObservation#INBOUND_REQUEST} observation. Its carrier is the request: a tracer's
 * propagator reads {@code traceparent} and {@code tracestate} from the request's header fields (section 2.1 of the
 * protocol), so that the handler's span continues the sender's trace.
 */
public final class InboundRequestContext extends ReceiverContext<IncomingRequest> {

	private final EndpointRole role;

	private @Nullable Outcome outcome;

	/**
	 * @param request the request the handler runs
	 * @param role the role of the endpoint it arrived on
	 */
	public InboundRequestContext(IncomingRequest request, EndpointRole role) {
		super(InboundRequestContext::field, Kind.SERVER);
		this.role = role;
		setCarrier(request);
		setRemoteServiceName(request.endpoint());
	}

	private static @Nullable String field(IncomingRequest request, String key) {
		return switch (key.toLowerCase(Locale.ROOT)) {
			case "traceparent" -> request.headers().traceParent();
			case "tracestate" -> request.headers().traceState();
			default -> null;
		};
	}

	/**
	 * The request.
	 * @return the request
	 */
	public IncomingRequest getRequest() {
		return getCarrier();
	}

	public EndpointRole getRole() {
		return this.role;
	}

	/**
	 * How the request ended.
	 * @return the outcome, or {@code null} while the handler runs
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	public void setOutcome(Outcome outcome) {
		this.outcome = outcome;
	}

}

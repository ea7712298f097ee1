package dev.dualsocket.observation;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.link.IncomingRequest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint observes its requests with: an {@link ObservationRegistry} and the conventions, the defaults
 * unless the application gives its own. {@link #OFF} (the default of every endpoint) observes nothing and costs
 * nothing: no context, no observation, no allocation per request.
 */
public final class RequestObservations {

	/** Observes nothing. */
	public static final RequestObservations OFF = new RequestObservations(ObservationRegistry.NOOP, null, null);

	private final ObservationRegistry registry;

	private final @Nullable OutboundRequestObservationConvention outboundConvention;

	private final @Nullable InboundRequestObservationConvention inboundConvention;

	/**
	 * @param registry where the observations go
	 * @param outboundConvention the application's convention for the requests this side sends, or {@code null} for
	 * {@link DefaultOutboundRequestObservationConvention}
	 * @param inboundConvention the application's convention for the requests this side handles, or {@code null} for
	 * {@link DefaultInboundRequestObservationConvention}
	 */
	public RequestObservations(ObservationRegistry registry,
			@Nullable OutboundRequestObservationConvention outboundConvention,
			@Nullable InboundRequestObservationConvention inboundConvention) {
		this.registry = registry;
		this.outboundConvention = outboundConvention;
		this.inboundConvention = inboundConvention;
	}

	/**
	 * Observations with the default conventions.
	 * @param registry where the observations go
	 * @return the observations
	 */
	public static RequestObservations of(ObservationRegistry registry) {
		return new RequestObservations(registry, null, null);
	}

	/**
	 * Whether nothing would be observed: no registry, or one without handlers.
	 * @return whether the observations are off
	 */
	public boolean isOff() {
		return this.registry.isNoop();
	}

	/**
	 * An observation of a request this side sends, not started; starting it writes the trace context into the
	 * context, for {@link OutboundRequestContext#headers()}.
	 * @param context the request's context
	 * @return the observation
	 */
	public Observation outbound(OutboundRequestContext context) {
		return Observation.createNotStarted(this.outboundConvention, DefaultOutboundRequestObservationConvention.INSTANCE,
				() -> context, this.registry);
	}

	/**
	 * An observation of a request the peer sent, not started; {@link Observation#NOOP}, made without a context, when
	 * {@link #isOff() off}.
	 * @param request the request
	 * @param role the role of the endpoint it arrived on
	 * @return the observation
	 */
	public Observation inbound(IncomingRequest request, EndpointRole role) {
		if (isOff()) {
			return Observation.NOOP;
		}
		return Observation.createNotStarted(this.inboundConvention, DefaultInboundRequestObservationConvention.INSTANCE,
				() -> new InboundRequestContext(request, role), this.registry);
	}

	@Override
	public String toString() {
		return "RequestObservations[" + (isOff() ? "off" : this.registry) + "]";
	}

}

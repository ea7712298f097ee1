package dev.dualsocket.observation;

import java.util.Locale;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.link.RequestHeaders;
import dev.dualsocket.link.RequestObserver.Outcome;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of an {@link DualSocketObservation#OUTBOUND_REQUEST} observation. It is its own carrier: a tracer's
 * propagator writes {@code traceparent} and {@code tracestate} into it when the observation starts, and
 * {@link #headers()} puts them into the request's header fields (section 2.1 of the protocol); other keys a
 * propagator writes (baggage, other formats) have no field on the wire and are left out.
 */
public final class OutboundRequestContext extends SenderContext<OutboundRequestContext> {

	private final String endpoint;

	private final EndpointRole role;

	private final String linkId;

	private final RequestHeaders original;

	private @Nullable String traceParent;

	private @Nullable String traceState;

	private long requestId;

	private @Nullable Outcome outcome;

	/**
	 * @param endpoint the endpoint's name
	 * @param role the endpoint's role
	 * @param linkId the link the request goes out on
	 * @param headers the header fields the caller gave, before any trace context
	 */
	public OutboundRequestContext(String endpoint, EndpointRole role, String linkId, RequestHeaders headers) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		}, Kind.CLIENT);
		this.endpoint = endpoint;
		this.role = role;
		this.linkId = linkId;
		this.original = headers;
		setCarrier(this);
		setRemoteServiceName(endpoint);
	}

	private void put(String key, String value) {
		switch (key.toLowerCase(Locale.ROOT)) {
			case "traceparent" -> this.traceParent = value;
			case "tracestate" -> this.traceState = value;
			default -> {
				// No header field carries it.
			}
		}
	}

	/**
	 * The request's header fields: those the caller gave, with the trace context the tracer wrote, if any and if it
	 * keeps the fields' rules (section 2.1); otherwise the caller's alone.
	 * @return the headers to send
	 */
	public RequestHeaders headers() {
		String parent = this.traceParent;
		if (parent == null || this.original.traceParent() != null) {
			return this.original; // the caller's own trace context wins
		}
		try {
			return this.original.withTrace(parent, this.traceState);
		}
		catch (IllegalArgumentException ex) {
			try {
				return this.original.withTrace(parent, null); // a tracestate too long for its field
			}
			catch (IllegalArgumentException unusable) {
				return this.original;
			}
		}
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public EndpointRole getRole() {
		return this.role;
	}

	public String getLinkId() {
		return this.linkId;
	}

	/**
	 * The request's message type.
	 * @return the type, or {@code null}
	 */
	public @Nullable String getMessageType() {
		return this.original.messageType();
	}

	/**
	 * The request's id, once it was registered on the link.
	 * @return the id, or {@code 0} for a request refused before it had one
	 */
	public long getRequestId() {
		return this.requestId;
	}

	public void setRequestId(long requestId) {
		this.requestId = requestId;
	}

	/**
	 * How the request ended.
	 * @return the outcome, or {@code null} while it runs
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	public void setOutcome(Outcome outcome) {
		this.outcome = outcome;
	}

}

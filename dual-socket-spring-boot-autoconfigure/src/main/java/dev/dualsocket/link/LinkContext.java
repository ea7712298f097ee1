package dev.dualsocket.link;

import java.time.Instant;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.codec.BasicPayloadCodec;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.transport.TransportResources;
import org.jspecify.annotations.Nullable;

/**
 * What all links of one endpoint share: the endpoint's name and role, the link settings, the transport, where events
 * go, the handler for incoming requests, the payload codec and the request observer. Created by an endpoint for its
 * links.
 */
public final class LinkContext {

	private final String endpointName;

	private final EndpointRole role;

	private final LinkSettings settings;

	private final TransportResources transport;

	private final DualSocketEventListener events;

	private volatile @Nullable RequestHandler handler;

	private volatile PayloadCodec codec = new BasicPayloadCodec();

	private volatile RequestObserver observer = RequestObserver.NONE;

	public LinkContext(String endpointName, EndpointRole role, LinkSettings settings, TransportResources transport,
			DualSocketEventListener events) {
		this.endpointName = endpointName;
		this.role = role;
		this.settings = settings;
		this.transport = transport;
		this.events = events;
	}

	public String endpointName() {
		return this.endpointName;
	}

	public EndpointRole role() {
		return this.role;
	}

	public LinkSettings settings() {
		return this.settings;
	}

	public TransportResources transport() {
		return this.transport;
	}

	public @Nullable RequestHandler handler() {
		return this.handler;
	}

	public void setHandler(@Nullable RequestHandler handler) {
		this.handler = handler;
	}

	public PayloadCodec codec() {
		return this.codec;
	}

	public void setCodec(PayloadCodec codec) {
		this.codec = codec;
	}

	public RequestObserver observer() {
		return this.observer;
	}

	public void setObserver(RequestObserver observer) {
		this.observer = observer;
	}

	void publish(DualSocketEvent event) {
		this.events.onEvent(event);
	}

	Instant now() {
		return Instant.now();
	}

}

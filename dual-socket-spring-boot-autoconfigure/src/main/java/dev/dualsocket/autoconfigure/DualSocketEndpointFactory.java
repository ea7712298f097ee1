package dev.dualsocket.autoconfigure;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.autoconfigure.DualSocketProperties.Endpoint;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkSecretResolver;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.RequestObserver;
import dev.dualsocket.observation.RequestObservations;
import dev.dualsocket.transport.TransportResources;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundles;

/**
 * Creates the endpoint bean for each configured endpoint name: its settings from the properties (checked), the shared
 * transport, events to the application context, the payload codec and the request observer. Used by the
 * auto-configuration.
 */
public final class DualSocketEndpointFactory {

	private final DualSocketProperties properties;

	private final EndpointSettingsMapper mapper;

	private final TransportResources transport;

	private final DualSocketEventListener events;

	private final PayloadCodec codec;

	private final RequestObserver observer;

	private final RequestObservations observations;

	DualSocketEndpointFactory(DualSocketProperties properties, TransportResources transport,
			DualSocketEventListener events, PayloadCodec codec, RequestObserver observer,
			@Nullable SslBundles sslBundles, @Nullable LinkSecretResolver secrets, RequestObservations observations) {
		this.properties = properties;
		this.mapper = new EndpointSettingsMapper(properties.getDefaults(), new TlsContexts(sslBundles), secrets);
		this.transport = transport;
		this.events = events;
		this.codec = codec;
		this.observer = observer;
		this.observations = observations;
	}

	/**
	 * Creates one endpoint, not yet started.
	 * @param name the endpoint's name under {@code dual-socket.endpoints}
	 * @return the endpoint
	 * @throws InvalidDualSocketPropertyException if its configuration is missing or unusable
	 */
	public DualSocketEndpoint create(String name) {
		Endpoint endpoint = this.properties.getEndpoints().get(name);
		if (endpoint == null) {
			throw new IllegalArgumentException("No endpoint '" + name + "' under dual-socket.endpoints; configured: "
					+ this.properties.getEndpoints().keySet());
		}
		EndpointSettings settings = this.mapper.map(name, endpoint);
		DualSocketEndpoint created = (settings.role() == EndpointRole.CLIENT)
				? new ClientEndpoint(settings, this.transport, this.events)
				: new ServerEndpoint(settings, this.transport, this.events);
		if (settings.protocol().getPayloadCodec() == null) {
			// A protocol whose messages are a library's objects (ISOMsg, an SMPP PDU) keeps its own codec.
			created.setPayloadCodec(this.codec);
		}
		created.setRequestObserver(this.observer);
		created.setRequestObservations(this.observations);
		return created;
	}

}

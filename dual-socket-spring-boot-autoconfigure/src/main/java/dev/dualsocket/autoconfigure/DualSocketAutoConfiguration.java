package dev.dualsocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.dualsocket.codec.BasicPayloadCodec;
import dev.dualsocket.codec.JacksonPayloadCodec;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.endpoint.LinkSecretResolver;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.RequestObserver;
import dev.dualsocket.listener.DefaultListenerErrorHandler;
import dev.dualsocket.listener.DualSocketListenerErrorHandler;
import dev.dualsocket.listener.DualSocketListenerMethodProcessor;
import dev.dualsocket.observation.RequestObservations;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of dual-socket endpoints: one {@link DualSocketEndpoint} bean per entry under
 * {@code dual-socket.endpoints}, sharing one transport, started and stopped with the context, their events published
 * as application events. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@EnableConfigurationProperties(DualSocketProperties.class)
@Import(DualSocketEndpointRegistrar.class)
public final class DualSocketAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	TransportResources dualSocketTransport(DualSocketProperties properties) {
		DualSocketProperties.Transport transport = properties.getTransport();
		return TransportResources.create(new TransportSettings(transport.getIoThreads(), transport.getHandlerThreads(),
				transport.getHandlerQueueCapacity(), transport.getRecoveryThreads(), transport.isNativeTransport(),
				transport.getInterfacePollInterval()));
	}

	@Bean
	@ConditionalOnMissingBean
	PayloadCodec dualSocketPayloadCodec() {
		return new BasicPayloadCodec();
	}

	@Bean
	ApplicationEventBridge dualSocketApplicationEventBridge(ApplicationEventPublisher publisher) {
		return new ApplicationEventBridge(publisher);
	}

	/**
	 * The endpoints' events go to the application context first, then to every {@link DualSocketEventListener} bean
	 * (the meters among them); every {@link RequestObserver} bean is told how each request ended. Each is isolated
	 * from what the others throw. A {@link RequestObservations} bean (dual-socket.observations.enabled) observes each
	 * request.
	 */
	@Bean(DualSocketEndpointRegistrar.FACTORY_BEAN_NAME)
	DualSocketEndpointFactory dualSocketEndpointFactory(DualSocketProperties properties, TransportResources transport,
			ApplicationEventBridge applicationEvents, ObjectProvider<DualSocketEventListener> listeners,
			PayloadCodec codec, ObjectProvider<RequestObserver> observers, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<LinkSecretResolver> secrets, ObjectProvider<RequestObservations> observations) {
		List<DualSocketEventListener> events = new ArrayList<>();
		events.add(applicationEvents);
		listeners.orderedStream().filter((listener) -> listener != applicationEvents).forEach(events::add);
		return new DualSocketEndpointFactory(properties, transport, DualSocketEventListener.of(events), codec,
				RequestObserver.of(observers.orderedStream().toList()), sslBundles.getIfAvailable(),
				secrets.getIfUnique(), observations.getIfUnique(() -> RequestObservations.OFF));
	}

	@Bean
	@ConditionalOnMissingBean
	DualSocketEndpointRegistry dualSocketEndpointRegistry(ObjectProvider<DualSocketEndpoint> endpoints) {
		return new DualSocketEndpointRegistry(endpoints.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	DualSocketEndpointLifecycle dualSocketEndpointLifecycle(DualSocketEndpointRegistry registry,
			ObjectProvider<LifecycleProperties> lifecycle, DualSocketProperties properties) {
		Duration drainTimeout = lifecycle.getIfAvailable(LifecycleProperties::new).getTimeoutPerShutdownPhase();
		Set<String> activeStandby = properties.activeStandbyEndpoints().keySet();
		if (!activeStandby.isEmpty() && !ClassUtils.isPresent(LEADER_INITIATOR, getClass().getClassLoader())) {
			String name = activeStandby.iterator().next();
			throw new InvalidDualSocketPropertyException("dual-socket.endpoints." + name + ".ha.enabled", true,
					"false, or true with Spring Integration's leader election on the class path (add "
							+ "org.springframework.integration:spring-integration-jdbc and spring-boot-starter-jdbc "
							+ "for a JdbcLockRegistry on the application's DataSource)");
		}
		// The active/standby endpoints run only while this instance leads them: HaEndpoints starts and stops them.
		return new DualSocketEndpointLifecycle(registry, drainTimeout, activeStandby);
	}

	private static final String LEADER_INITIATOR =
			"org.springframework.integration.support.leader.LockRegistryLeaderInitiator";

	@Bean
	@ConditionalOnBooleanProperty("dual-socket.readiness.refuse-when-quiesced")
	QuiesceReadiness dualSocketQuiesceReadiness(DualSocketEndpointRegistry registry,
			ApplicationEventPublisher publisher) {
		return new QuiesceReadiness(registry, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	DualSocketListenerErrorHandler dualSocketListenerErrorHandler(DualSocketProperties properties) {
		return new DefaultListenerErrorHandler(properties.getListener().isExposeErrors());
	}

	@Bean
	static DualSocketListenerMethodProcessor dualSocketListenerMethodProcessor() {
		return new DualSocketListenerMethodProcessor();
	}

	/**
	 * Payloads of other types than {@code byte[]} and {@code String} as JSON, through the application's
	 * {@link JsonMapper} when it has one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonPayloadCodecConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PayloadCodec dualSocketPayloadCodec(ObjectProvider<JsonMapper> jsonMapper) {
			return new JacksonPayloadCodec(jsonMapper.getIfAvailable(JsonMapper::new));
		}

	}

}

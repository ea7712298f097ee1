package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dualsocket.LinkState;
import dev.dualsocket.codec.BasicPayloadCodec;
import dev.dualsocket.codec.JacksonPayloadCodec;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which beans the auto-configuration creates, and when it backs off.
 */
class DualSocketAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class));

	@Test
	void withoutEndpointsCreatesTheSharedBeansAndNoEndpoint() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(TransportResources.class)
				.hasSingleBean(PayloadCodec.class)
				.hasSingleBean(DualSocketEndpointRegistry.class)
				.hasSingleBean(DualSocketEndpointLifecycle.class)
				.doesNotHaveBean(DualSocketEndpoint.class);
			assertThat(context.getBean(DualSocketEndpointRegistry.class).all()).isEmpty();
		});
	}

	@Test
	void oneQualifiedBeanPerEndpointStartedWithTheContextAndLinked() {
		this.runner.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0")
			.run((server) -> {
				int port = ((ServerEndpoint) server.getBean("hubDualSocketEndpoint")).getLocalAddress().getPort();
				this.runner.withUserConfiguration(InjectsByQualifier.class)
					.withPropertyValues("dual-socket.endpoints.exchange.role=client",
							"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
							"dual-socket.endpoints.exchange.link-id=orders-1")
					.run((client) -> {
						assertThat(client).hasSingleBean(ClientEndpoint.class);
						DualSocketEndpoint exchange = client.getBean(InjectsByQualifier.class).exchange;
						assertThat(exchange.getName()).isEqualTo("exchange");
						assertThat(client.getBean(DualSocketEndpointRegistry.class).get("exchange")).isSameAs(exchange);
						await().atMost(Duration.ofSeconds(10))
							.until(() -> exchange.link("orders-1").getState() == LinkState.NORMAL);
						assertThat(server.getBean(DualSocketEndpointRegistry.class).get("hub").links())
							.extracting(dev.dualsocket.link.DualSocketLink::getId)
							.containsExactly("orders-1");
					});
			});
	}

	@Test
	void endpointEventsArePublishedAsApplicationEvents() {
		this.runner.withUserConfiguration(RecordsEvents.class)
			.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
					"dual-socket.endpoints.hub.port=0")
			.run((server) -> {
				int port = ((ServerEndpoint) server.getBean("hubDualSocketEndpoint")).getLocalAddress().getPort();
				this.runner.withPropertyValues("dual-socket.endpoints.exchange.role=client",
						"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
						"dual-socket.endpoints.exchange.link-id=orders-1")
					.run((client) -> await().atMost(Duration.ofSeconds(10))
						.until(() -> server.getBean(RecordsEvents.class).events.stream()
							.anyMatch((event) -> event instanceof LinkStateChangedEvent change
									&& change.getTo() == LinkState.NORMAL)));
			});
	}

	@Test
	void closingTheContextClosesLinksInOrder() {
		this.runner.withUserConfiguration(RecordsEvents.class)
			.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
					"dual-socket.endpoints.hub.port=0")
			.run((server) -> {
				int port = ((ServerEndpoint) server.getBean("hubDualSocketEndpoint")).getLocalAddress().getPort();
				this.runner.withPropertyValues("dual-socket.endpoints.exchange.role=client",
						"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
						"dual-socket.endpoints.exchange.link-id=orders-1")
					.run((client) -> await().atMost(Duration.ofSeconds(10))
						.until(() -> client.getBean(ClientEndpoint.class).link("orders-1").getState() == LinkState.NORMAL));
				// The client's context is closed: the server saw an orderly close, not a failure.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> server.getBean(RecordsEvents.class).events.stream()
						.anyMatch((event) -> event instanceof LinkStateChangedEvent change
								&& "peer closed".equals(change.getCause())));
			});
	}

	@Test
	void usesJacksonForOtherPayloadTypesWhenAvailable() {
		this.runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(PayloadCodec.class)).isInstanceOf(JacksonPayloadCodec.class));
	}

	@Test
	void withoutJacksonOnlyBytesAndStrings() {
		this.runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.run((context) -> assertThat(context.getBean(PayloadCodec.class)).isExactlyInstanceOf(BasicPayloadCodec.class));
	}

	@Test
	void backsOffFromTheApplicationsOwnBeans() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean(TransportResources.class)).isSameAs(context.getBean(OwnBeans.class).transport);
			assertThat(context.getBean(PayloadCodec.class)).isSameAs(OwnBeans.CODEC);
			assertThat(context.getBean(DualSocketEndpointRegistry.class)).isSameAs(OwnBeans.REGISTRY);
		});
	}

	@Test
	void anEndpointBeanOfTheApplicationTakesThePlaceOfTheConfiguredOne() {
		this.runner.withUserConfiguration(OwnEndpoint.class)
			.withPropertyValues("dual-socket.endpoints.exchange.role=server", "dual-socket.endpoints.exchange.port=0")
			.run((context) -> {
				assertThat(context).hasSingleBean(DualSocketEndpoint.class);
				assertThat(context.getBean(DualSocketEndpoint.class).getName()).isEqualTo("own");
			});
	}

	@Test
	void limitsComeFromTheirPropertiesOrTheirDefaults() {
		this.runner.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=0", "dual-socket.endpoints.edge.role=server",
				"dual-socket.endpoints.edge.host=127.0.0.1", "dual-socket.endpoints.edge.port=0",
				"dual-socket.endpoints.edge.max-connections-per-address=64",
				"dual-socket.defaults.duplicate-cache-bytes=2MB", "dual-socket.endpoints.edge.duplicate-cache-bytes=64KB")
			.run((context) -> {
				EndpointSettings hub = ((ServerEndpoint) context.getBean("hubDualSocketEndpoint")).getSettings();
				EndpointSettings edge = ((ServerEndpoint) context.getBean("edgeDualSocketEndpoint")).getSettings();
				assertThat(hub.maxConnectionsPerAddress()).isEqualTo(EndpointSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
				assertThat(edge.maxConnectionsPerAddress()).isEqualTo(64);
				assertThat(hub.link().duplicateCacheBytes()).isEqualTo(2 * 1024 * 1024);
				assertThat(edge.link().duplicateCacheBytes()).isEqualTo(64 * 1024);
			});
	}

	@Test
	void handlerThreadsAndPollingComeFromTransportProperties() throws Exception {
		this.runner.withPropertyValues("dual-socket.transport.native-transport=false").run((context) -> {
			TransportResources transport = context.getBean(TransportResources.class);
			assertThat(transport.isNativeTransport()).isFalse();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class InjectsByQualifier {

		@Autowired
		@Qualifier("exchange")
		DualSocketEndpoint exchange;

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordsEvents {

		final List<DualSocketEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

		@EventListener
		void onEvent(DualSocketEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		static final PayloadCodec CODEC = new BasicPayloadCodec();

		static final DualSocketEndpointRegistry REGISTRY = new DualSocketEndpointRegistry(List.of());

		final TransportResources transport = TransportResources.create(TransportSettings.defaults());

		@Bean(destroyMethod = "close")
		TransportResources myTransport() {
			return this.transport;
		}

		@Bean
		PayloadCodec myCodec() {
			return CODEC;
		}

		@Bean
		DualSocketEndpointRegistry myRegistry() {
			return REGISTRY;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		DualSocketEndpoint exchangeDualSocketEndpoint(TransportResources transport) {
			return new ServerEndpoint(dev.dualsocket.endpoint.EndpointSettings.server("own", "127.0.0.1", 0,
					dev.dualsocket.link.LinkSettings.builder().build()), transport, dev.dualsocket.event.DualSocketEventListener.NONE);
		}

	}


}

package dev.dualsocket.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.observation.DefaultInboundRequestObservationConvention;
import dev.dualsocket.observation.DefaultOutboundRequestObservationConvention;
import dev.dualsocket.observation.OutboundRequestContext;
import dev.dualsocket.observation.OutboundRequestObservationConvention;
import dev.dualsocket.observation.RequestObservations;
import dev.dualsocket.test.Sockets;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When requests are observed, with which conventions, and that off observes nothing: real endpoints on 127.0.0.1 and
 * a real {@link ObservationRegistry} whose handler records what it is told.
 */
class DualSocketObservationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DualSocketAutoConfiguration.class, LifecycleAutoConfiguration.class,
				DualSocketObservationAutoConfiguration.class));

	@Test
	void offUnlessTheApplicationSwitchesItOn() {
		this.runner.withUserConfiguration(Registry.class)
			.run((context) -> assertThat(context).doesNotHaveBean(RequestObservations.class));
	}

	@Test
	void onWithTheApplicationsObservationRegistry() {
		this.runner.withUserConfiguration(Registry.class)
			.withPropertyValues("dual-socket.observations.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(RequestObservations.class));
	}

	@Test
	void switchedOnWithoutAnObservationRegistryObservesNothing() {
		this.runner.withPropertyValues("dual-socket.observations.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestObservations.class));
	}

	@Test
	void withoutMicrometerObservationTheEndpointsStillStart() {
		this.runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.withPropertyValues("dual-socket.observations.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestObservations.class));
	}

	@Test
	void offRequestsGoUnobservedAndWithoutTraceContext() {
		linked(this.runner.withUserConfiguration(Registry.class)).run((context) -> {
			String traceParent = requestOnce(context);
			assertThat(context.getBean(Recorder.class).stopped).isEmpty();
			assertThat(traceParent).isEqualTo("none");
		});
	}

	@Test
	void onBothSidesAreObservedAndTheApplicationsConventionReplacesTheDefault() {
		linked(this.runner.withUserConfiguration(Registry.class, OwnConvention.class))
			.withPropertyValues("dual-socket.observations.enabled=true")
			.run((context) -> {
				requestOnce(context);
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(recorder.stopped).extracting(Observation.Context::getName)
						.contains("shop.quotes.sent", DefaultInboundRequestObservationConvention.NAME)
						.doesNotContain(DefaultOutboundRequestObservationConvention.NAME));
				Observation.Context sent = recorder.stopped.stream()
					.filter((stopped) -> stopped.getName().equals("shop.quotes.sent"))
					.findFirst()
					.orElseThrow();
				assertThat(sent.getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("acme");
				assertThat(sent.getLowCardinalityKeyValue("dualsocket.outcome").getValue()).isEqualTo("success");
			});
	}

	@Test
	void offMakesNothingPerRequest() {
		IncomingRequest request = new IncomingRequest("hub", "orders-1", 1, new byte[0]);
		RequestObservations off = RequestObservations.OFF;
		for (int i = 0; i < 10_000; i++) {
			off.inbound(request, EndpointRole.SERVER); // warm up
		}
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < 100_000; i++) {
			if (!off.isOff() || off.inbound(request, EndpointRole.SERVER) != Observation.NOOP) {
				throw new AssertionError("off made an observation");
			}
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		// A context per request would be several megabytes; the measuring itself may take a few bytes.
		assertThat(allocated).isLessThan(64 * 1024L);
	}

	private static ApplicationContextRunner linked(ApplicationContextRunner runner) {
		int port = Sockets.freePort();
		return runner.withPropertyValues("dual-socket.endpoints.hub.role=server", "dual-socket.endpoints.hub.host=127.0.0.1",
				"dual-socket.endpoints.hub.port=" + port, "dual-socket.endpoints.exchange.role=client",
				"dual-socket.endpoints.exchange.host=127.0.0.1", "dual-socket.endpoints.exchange.port=" + port,
				"dual-socket.endpoints.exchange.link-id=orders-1");
	}

	/** Sends one request from the client endpoint; returns the traceparent the server's handler saw. */
	private static String requestOnce(ApplicationContext context) throws Exception {
		DualSocketEndpoint hub = context.getBean("hubDualSocketEndpoint", DualSocketEndpoint.class);
		DualSocketEndpoint exchange = context.getBean("exchangeDualSocketEndpoint", DualSocketEndpoint.class);
		hub.setRequestHandler((request) -> String.valueOf(request.headers().traceParent()).replace("null", "none")
			.getBytes());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> exchange.findLink("orders-1").map((link) -> link.getState() == LinkState.NORMAL).orElse(false));
		return exchange.request("quote", "ACME", String.class).get(5, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		ObservationRegistry observationRegistry(Recorder recorder) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(recorder);
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConvention {

		@Bean
		OutboundRequestObservationConvention ownConvention() {
			return new DefaultOutboundRequestObservationConvention() {

				@Override
				public String getName() {
					return "shop.quotes.sent";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(OutboundRequestContext context) {
					return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
				}

			};
		}

	}

	/** An observation handler that keeps the context of every observation stopped. */
	static class Recorder implements ObservationHandler<Observation.Context> {

		final Queue<Observation.Context> stopped = new ConcurrentLinkedQueue<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}

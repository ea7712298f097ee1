package dev.dualsocket.actuate.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.autoconfigure.ha.LeadershipObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Meters of active/standby endpoints: {@code dualsocket.ha.leader} (1 while this instance leads the endpoint, else 0),
 * {@code dualsocket.ha.takeovers} (leadership grants) and {@code dualsocket.ha.takeover} (from a grant to the endpoint
 * being up), each tagged with the endpoint.
 */
public class LeadershipMetrics implements LeadershipObserver {

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> leading = new ConcurrentHashMap<>();

	public LeadershipMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Registers the leader gauge of an endpoint at 0, so that a standby instance shows it before it ever leads.
	 * @param endpoint the endpoint's name
	 */
	public void register(String endpoint) {
		leading(endpoint);
	}

	private AtomicInteger leading(String endpoint) {
		return this.leading.computeIfAbsent(endpoint, (name) -> {
			AtomicInteger value = new AtomicInteger();
			Gauge.builder("dualsocket.ha.leader", value, AtomicInteger::get)
				.description("1 while this instance leads the active/standby endpoint, else 0")
				.tag("endpoint", name)
				.register(this.registry);
			return value;
		});
	}

	@Override
	public void granted(String endpoint) {
		leading(endpoint).set(1);
		Counter.builder("dualsocket.ha.takeovers")
			.description("Times this instance became the leader of the endpoint")
			.tag("endpoint", endpoint)
			.register(this.registry)
			.increment();
	}

	@Override
	public void revoked(String endpoint) {
		leading(endpoint).set(0);
	}

	@Override
	public void takeover(String endpoint, Duration duration) {
		Timer.builder("dualsocket.ha.takeover")
			.description("From this instance's election to the endpoint being up (listening, or its link NORMAL)")
			.tag("endpoint", endpoint)
			.register(this.registry)
			.record(duration);
	}

}

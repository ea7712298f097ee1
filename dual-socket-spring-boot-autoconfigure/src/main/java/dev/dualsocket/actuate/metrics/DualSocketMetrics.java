package dev.dualsocket.actuate.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.event.LinkDiagnosedEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Meters of dual-socket links:
 * <ul>
 * <li>{@code dualsocket.link.state}: gauge per endpoint, link and state ({@code connecting}, {@code normal},
 * {@code recovering}, {@code disconnected}, {@code closed}, {@code quiesced}); 1 for the link's current state, 0 for
 * the others, as Spring Boot's and Resilience4j's circuit-breaker state gauges;</li>
 * <li>{@code dualsocket.requests}: timer per endpoint, direction ({@code outbound}, {@code inbound}) and outcome
 * ({@code success}, {@code error}, {@code timeout}, {@code disconnected}, {@code rejected});</li>
 * <li>{@code dualsocket.socket.failures}: counter per endpoint, socket and cause;</li>
 * <li>{@code dualsocket.recoveries}: timer per endpoint, procedure and outcome ({@code normal},
 * {@code disconnected}, {@code closed}), from the start of a recovery procedure to its end;</li>
 * <li>{@code dualsocket.limits.exceeded}: counter per endpoint and limit ({@code links}, {@code pending-handshakes},
 * {@code connections-per-address}, {@code heartbeat-rate}, {@code handshake-frame-size}, {@code frame-size},
 * {@code requests-in-flight}): each connection, link or request a limit refused or closed;</li>
 * <li>{@code dualsocket.link.diagnoses}: counter per endpoint, socket and verdict ({@code socket_only},
 * {@code peer_process_down}, {@code peer_process_stuck}, {@code peer_host_unreachable},
 * {@code local_interface_down}, {@code path_down_alternate_ok}, {@code inconclusive}): each diagnosis of a socket
 * failure that reached its verdict (seed 003).</li>
 * </ul>
 */
public class DualSocketMetrics implements RequestObserver, DualSocketEventListener {

	private final MeterRegistry meterRegistry;

	private final ObjectProvider<DualSocketEndpointRegistry> endpoints;

	private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();

	private final Map<LinkKey, List<Gauge>> stateGauges = new ConcurrentHashMap<>();

	private final Map<LinkKey, Recovery> recoveries = new ConcurrentHashMap<>();

	public DualSocketMetrics(MeterRegistry meterRegistry, ObjectProvider<DualSocketEndpointRegistry> endpoints) {
		this.meterRegistry = meterRegistry;
		this.endpoints = endpoints;
	}

	@Override
	public void requestCompleted(String endpoint, Direction direction, Outcome outcome, long nanos) {
		this.requestTimers
			.computeIfAbsent(new RequestKey(endpoint, direction, outcome), (key) -> Timer.builder("dualsocket.requests")
				.description("Requests sent (outbound) and answered (inbound) on dual-socket links")
				.tag("endpoint", endpoint)
				.tag("direction", direction.label())
				.tag("outcome", outcome.label())
				.register(this.meterRegistry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onEvent(DualSocketEvent event) {
		if (event instanceof LinkStateChangedEvent change) {
			onStateChange(change);
		}
		else if (event instanceof SocketFailedEvent failure) {
			this.meterRegistry
				.counter("dualsocket.socket.failures", "endpoint", failure.getEndpoint(), "socket",
						failure.getSocket().label(), "cause", failure.getFailure().cause().name().toLowerCase(Locale.ROOT))
				.increment();
		}
		else if (event instanceof LinkDiagnosedEvent diagnosed) {
			Counter.builder("dualsocket.link.diagnoses")
				.description("Diagnoses of dual-socket socket failures, by verdict: what failed")
				.tag("endpoint", diagnosed.getEndpoint())
				.tag("socket", diagnosed.getDiagnosis().socket().label())
				.tag("verdict", diagnosed.getVerdict().tag())
				.register(this.meterRegistry)
				.increment();
		}
		else if (event instanceof LimitExceededEvent exceeded) {
			Counter.builder("dualsocket.limits.exceeded")
				.description("Connections, links and requests that a dual-socket limit refused or closed")
				.tag("endpoint", exceeded.getEndpoint())
				.tag("limit", exceeded.getLimit().label())
				.register(this.meterRegistry)
				.increment();
		}
	}

	private void onStateChange(LinkStateChangedEvent change) {
		LinkKey link = new LinkKey(change.getEndpoint(), change.getLinkId());
		this.stateGauges.computeIfAbsent(link, this::registerStateGauges);
		if (change.getTo() == LinkState.RECOVERING && change.getProcedure() != null) {
			this.recoveries.put(link, new Recovery(change.getProcedure(), change.getTime()));
		}
		else if (change.getFrom() == LinkState.RECOVERING) {
			Recovery recovery = this.recoveries.remove(link);
			if (recovery != null) {
				Timer.builder("dualsocket.recoveries")
					.description("Recovery procedures of Figs. 5-8, from the socket failure to NORMAL, QUIESCED or DISCONNECTED")
					.tag("endpoint", link.endpoint)
					.tag("procedure", recovery.procedure.name().toLowerCase(Locale.ROOT))
					.tag("outcome", change.getTo().name().toLowerCase(Locale.ROOT))
					.register(this.meterRegistry)
					.record(Duration.between(recovery.started, change.getTime()));
			}
		}
		if (change.getTo() == LinkState.CLOSED && isServer(link.endpoint)) {
			// A server forgets a closed link; its gauges go with it.
			List<Gauge> gauges = this.stateGauges.remove(link);
			if (gauges != null) {
				gauges.forEach(this.meterRegistry::remove);
			}
		}
	}

	private List<Gauge> registerStateGauges(LinkKey link) {
		return Arrays.stream(LinkState.values())
			.map((state) -> Gauge.builder("dualsocket.link.state", () -> isIn(link, state) ? 1 : 0)
				.description("Whether a dual-socket link is in the state of the tag 'state': 1 if it is, 0 if not")
				.tag("endpoint", link.endpoint)
				.tag("link", link.linkId)
				.tag("state", state.name().toLowerCase(Locale.ROOT))
				.register(this.meterRegistry))
			.toList();
	}

	private boolean isIn(LinkKey link, LinkState state) {
		DualSocketEndpointRegistry registry = this.endpoints.getIfAvailable();
		return registry != null && registry.find(link.endpoint)
			.flatMap((endpoint) -> endpoint.findLink(link.linkId))
			.filter((found) -> found.getState() == state)
			.isPresent();
	}

	private boolean isServer(String endpoint) {
		DualSocketEndpointRegistry registry = this.endpoints.getIfAvailable();
		return registry != null && registry.find(endpoint)
			.map(DualSocketEndpoint::getRole)
			.filter((role) -> role == EndpointRole.SERVER)
			.isPresent();
	}

	private record RequestKey(String endpoint, Direction direction, Outcome outcome) {
	}

	private record LinkKey(String endpoint, String linkId) {
	}

	private record Recovery(RecoveryProcedure procedure, Instant started) {
	}

}

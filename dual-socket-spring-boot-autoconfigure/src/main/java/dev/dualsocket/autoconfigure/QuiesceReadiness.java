package dev.dualsocket.autoconfigure;

import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.QuiesceChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

/**
 * Takes the application out of readiness while any of its endpoints is quiesced, and back in once all are resumed
 * ({@code dual-socket.readiness.refuse-when-quiesced}): Spring Boot's {@code readinessState} health, and so
 * {@code /actuator/health/readiness}, then reads {@code OUT_OF_SERVICE}, as a deploy or fail-over that pauses the
 * links wants its load balancer to see.
 */
public class QuiesceReadiness {

	private static final Log logger = LogFactory.getLog(QuiesceReadiness.class);

	private final DualSocketEndpointRegistry registry;

	private final ApplicationEventPublisher publisher;

	public QuiesceReadiness(DualSocketEndpointRegistry registry, ApplicationEventPublisher publisher) {
		this.registry = registry;
		this.publisher = publisher;
	}

	@EventListener
	public void onQuiesceChanged(QuiesceChangedEvent event) {
		boolean anyQuiesced = this.registry.all().stream().anyMatch(DualSocketEndpoint::isQuiesced);
		ReadinessState readiness = anyQuiesced ? ReadinessState.REFUSING_TRAFFIC : ReadinessState.ACCEPTING_TRAFFIC;
		logger.info("Endpoint '" + event.getEndpoint() + "' " + (event.isQuiesced() ? "quiesced" : "resumed")
				+ "; readiness is now " + readiness
				+ (anyQuiesced ? " until every endpoint is resumed" : ": no endpoint is quiesced"));
		AvailabilityChangeEvent.publish(this.publisher, this, readiness);
	}

}

package dev.dualsocket.autoconfigure;

import java.util.concurrent.Executor;

import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Publishes the engine's events in the application context, as payload events: an
 * {@code @EventListener(LinkStateChangedEvent.class)} method receives them. Called on the engine's event threads, in
 * order per link, never under a lock or on an I/O thread; what a listener throws is logged by the engine and changes
 * nothing.
 */
public final class ApplicationEventBridge implements DualSocketEventListener {

	private static final Log logger = LogFactory.getLog(ApplicationEventBridge.class);

	private final ApplicationEventPublisher publisher;

	private volatile @Nullable Executor recording;

	ApplicationEventBridge(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onEvent(DualSocketEvent event) {
		Executor thread = this.recording;
		if (thread != null) {
			thread.execute(() -> publishQuietly(event));
		}
		else {
			publish(event);
		}
	}

	private void publish(DualSocketEvent event) {
		if (this.publisher instanceof ConfigurableApplicationContext context && !context.isActive()) {
			logger.debug("Not publishing " + event + ": the application context is closed");
			return;
		}
		this.publisher.publishEvent(event);
	}

	private void publishQuietly(DualSocketEvent event) {
		try {
			publish(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener threw " + ex + " on " + event + "; the link is not affected", ex);
		}
	}

	/**
	 * Publishes on the given thread from now on, or again on the engine's event threads. Spring's
	 * {@code @RecordApplicationEvents} records only events published on the test's thread or on threads it started,
	 * so {@link RecordApplicationEventsTestExecutionListener} hands every event to a thread the test started.
	 * @param thread a single thread, which keeps the order of the events; {@code null} to publish where they are
	 * delivered
	 */
	void publishOn(@Nullable Executor thread) {
		this.recording = thread;
	}

}

package dev.dualsocket.event;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.support.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls several listeners in turn, each isolated from the others' exceptions.
 */
final class CompositeEventListener implements DualSocketEventListener {

	private static final Log logger = LogFactory.getLog(CompositeEventListener.class);

	private final List<DualSocketEventListener> listeners;

	private final RateLimitedLog failures = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	CompositeEventListener(List<DualSocketEventListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void onEvent(DualSocketEvent event) {
		for (DualSocketEventListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException | Error ex) {
				this.failures.warn(() -> "Event listener " + listener + " threw " + ex + " on " + event
						+ "; the link is not affected and the other listeners still get the event", ex);
			}
		}
	}

}

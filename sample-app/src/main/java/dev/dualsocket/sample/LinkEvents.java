package dev.dualsocket.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.dualsocket.LinkState;
import dev.dualsocket.event.LinkStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every state change of every link, and how long a recovery took. The events arrive on the library's I/O and
 * recovery threads, so this listener only logs; slow work belongs on another thread ({@code @Async}).
 */
@Component
public class LinkEvents {

	private static final Log logger = LogFactory.getLog(LinkEvents.class);

	private final Map<String, Instant> recoveringSince = new ConcurrentHashMap<>();

	@EventListener
	void onLinkStateChanged(LinkStateChangedEvent event) {
		String link = event.getEndpoint() + "/" + event.getLinkId();
		StringBuilder line = new StringBuilder("link ").append(link)
			.append(": ")
			.append(event.getFrom())
			.append(" -> ")
			.append(event.getTo());
		if (event.getProcedure() != null) {
			line.append(" by ").append(event.getProcedure()).append(" (").append(event.getProcedure().figure()).append(')');
		}
		line.append(", cause: ").append(event.getCause());
		if (event.getTo() == LinkState.RECOVERING) {
			this.recoveringSince.put(link, event.getTime());
		}
		else if (event.getFrom() == LinkState.RECOVERING) {
			Instant since = this.recoveringSince.remove(link);
			if (since != null) {
				line.append(", after ").append(Duration.between(since, event.getTime()).toMillis()).append(" ms in RECOVERING");
			}
		}
		if (event.getTo() == LinkState.DISCONNECTED) {
			logger.warn(line);
		}
		else {
			logger.info(line);
		}
	}

}

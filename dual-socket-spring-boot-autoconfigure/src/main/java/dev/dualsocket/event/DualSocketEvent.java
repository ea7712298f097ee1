package dev.dualsocket.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Base class of the events of a dual-socket endpoint. The source is the endpoint's name.
 */
public abstract class DualSocketEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final @Nullable String linkId;

	private final Instant time;

	protected DualSocketEvent(String endpoint, @Nullable String linkId, Instant time) {
		super(endpoint);
		this.linkId = linkId;
		this.time = time;
	}

	/**
	 * The name of the endpoint, as configured under {@code dual-socket.endpoints}.
	 * @return the endpoint name
	 */
	public String getEndpoint() {
		return (String) getSource();
	}

	/**
	 * The link the event is about.
	 * @return the link id, or {@code null} when the event concerns a connection not (yet) part of a link
	 */
	public @Nullable String getLinkId() {
		return this.linkId;
	}

	/**
	 * When it happened.
	 * @return the instant
	 */
	public Instant getTime() {
		return this.time;
	}

}

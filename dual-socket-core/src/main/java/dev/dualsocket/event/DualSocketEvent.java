package dev.dualsocket.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the events of a dual-socket endpoint. A plain type: a {@link DualSocketEventListener} receives it
 * from the engine, and in a Spring application it is published as a payload event, so that
 * {@code @EventListener(LinkStateChangedEvent.class)} receives it.
 */
public abstract class DualSocketEvent {

	private final String endpoint;

	private final @Nullable String linkId;

	private final Instant time;

	protected DualSocketEvent(String endpoint, @Nullable String linkId, Instant time) {
		this.endpoint = endpoint;
		this.linkId = linkId;
		this.time = time;
	}

	/**
	 * The name of the endpoint, as configured under {@code dual-socket.endpoints}.
	 * @return the endpoint name
	 */
	public String getEndpoint() {
		return this.endpoint;
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

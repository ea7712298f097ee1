package dev.dualsocket.endpoint;

import java.time.Instant;
import java.util.function.LongSupplier;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.event.QuiesceChangedEvent;
import dev.dualsocket.ha.ServedRequestStore;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkContext;
import dev.dualsocket.link.RequestHandler;
import dev.dualsocket.link.RequestObserver;
import dev.dualsocket.observation.RequestObservations;
import org.jspecify.annotations.Nullable;

/**
 * What a client and a server endpoint share: their settings and the context of their links.
 */
abstract class AbstractEndpoint implements DualSocketEndpoint {

	final EndpointSettings settings;

	final LinkContext context;

	AbstractEndpoint(EndpointSettings settings, LinkContext context) {
		this.settings = settings;
		this.context = context;
		context.setProtocol(settings.protocol());
	}

	@Override
	public String getName() {
		return this.settings.name();
	}

	@Override
	public DualSocketLink link(String linkId) {
		return findLink(linkId).orElseThrow(() -> EndpointSupport.noSuchLink(getName(), linkId, links()));
	}

	@Override
	public void reconnect(String linkId) {
		link(linkId).reconnect();
	}

	@Override
	public void quiesce() {
		boolean changed = this.context.setQuiesced(true);
		links().forEach(DualSocketLink::quiesce);
		if (changed) {
			this.context.publish(new QuiesceChangedEvent(getName(), true, Instant.now()));
		}
	}

	@Override
	public void resume() {
		boolean changed = this.context.setQuiesced(false);
		links().forEach(DualSocketLink::resume);
		if (changed) {
			this.context.publish(new QuiesceChangedEvent(getName(), false, Instant.now()));
		}
	}

	@Override
	public boolean isQuiesced() {
		return this.context.isQuiesced();
	}

	@Override
	public void setRequestHandler(RequestHandler handler) {
		this.context.setHandler(handler);
	}

	@Override
	public boolean hasRequestHandler() {
		return this.context.handler() != null;
	}

	@Override
	public void setPayloadCodec(PayloadCodec codec) {
		this.context.setCodec(codec);
	}

	@Override
	public PayloadCodec getPayloadCodec() {
		return this.context.codec();
	}

	@Override
	public void setRequestObserver(RequestObserver observer) {
		this.context.setObserver(observer);
	}

	@Override
	public void setRequestObservations(RequestObservations observations) {
		this.context.setObservations(observations);
	}

	@Override
	public void setFencingEpoch(LongSupplier epoch) {
		this.context.setFencingEpoch(epoch);
	}

	@Override
	public void setServedRequestStore(@Nullable ServedRequestStore store) {
		this.context.setServedRequestStore(store);
	}

	/**
	 * The settings this endpoint was created with.
	 * @return the settings
	 */
	public EndpointSettings getSettings() {
		return this.settings;
	}

}

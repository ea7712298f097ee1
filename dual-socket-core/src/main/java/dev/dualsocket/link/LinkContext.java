package dev.dualsocket.link;

import java.time.Instant;
import java.util.function.LongSupplier;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.codec.BasicPayloadCodec;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.ha.ServedRequestStore;
import dev.dualsocket.observation.RequestObservations;
import dev.dualsocket.protocol.DualSocketProtocol;
import dev.dualsocket.protocol.WireProtocol;
import dev.dualsocket.transport.TransportResources;
import org.jspecify.annotations.Nullable;

/**
 * What all links of one endpoint share: the endpoint's name and role, the link settings, the transport, where events
 * go, the handler for incoming requests, the payload codec and the request observer. Created by an endpoint for its
 * links. Events and observations are delivered on the transport's event threads, never where they happen.
 */
public final class LinkContext {

	private final String endpointName;

	private final EndpointRole role;

	private final LinkSettings settings;

	private final TransportResources transport;

	private final DualSocketEventListener events;

	private final EventMailbox endpointEvents;

	private volatile @Nullable RequestHandler handler;

	/** Whether the handler overrides {@link RequestHandler#handleAsync}; read with it. */
	private volatile boolean handlerAnswersLater;

	/** Whether the handler says it never blocks, so that it runs on the I/O threads; read with it. */
	private volatile boolean handlerRunsInline;

	private volatile PayloadCodec codec = new BasicPayloadCodec();

	private volatile WireProtocol protocol = DualSocketProtocol.INSTANCE;

	private volatile RequestObserver observer = RequestObserver.NONE;

	private volatile RequestObservations observations = RequestObservations.OFF;

	/** Whether the endpoint is quiesced: every link, also one made later, holds the peer's new requests. */
	private volatile boolean quiesced;

	private volatile LongSupplier fencingEpoch = () -> 0;

	private volatile @Nullable ServedRequestStore servedRequestStore;

	public LinkContext(String endpointName, EndpointRole role, LinkSettings settings, TransportResources transport,
			DualSocketEventListener events) {
		this.endpointName = endpointName;
		this.role = role;
		this.settings = settings;
		this.transport = transport;
		this.events = events;
		this.endpointEvents = new EventMailbox(transport.eventThreads(), "endpoint '" + endpointName + "'");
	}

	public String endpointName() {
		return this.endpointName;
	}

	/**
	 * How log lines about one of the endpoint's links begin.
	 * @param linkId the link
	 * @return for example {@code "Endpoint 'exchange', link 'orders-1': "}
	 */
	String logPrefix(String linkId) {
		return "Endpoint '" + this.endpointName + "', link '" + linkId + "': ";
	}

	public EndpointRole role() {
		return this.role;
	}

	public LinkSettings settings() {
		return this.settings;
	}

	public TransportResources transport() {
		return this.transport;
	}

	public @Nullable RequestHandler handler() {
		return this.handler;
	}

	public void setHandler(@Nullable RequestHandler handler) {
		RequestHandler declared = (handler instanceof NonBlockingRequestHandler nonBlocking) ? nonBlocking.delegate()
				: handler;
		this.handlerAnswersLater = (declared != null) && overridesHandleAsync(declared);
		this.handlerRunsInline = (handler != null) && !handler.isBlocking();
		this.handler = handler;
	}

	/**
	 * Whether the handler answers through {@link RequestHandler#handleAsync}; one that does not is called through
	 * {@link RequestHandler#handle} directly, without a future per request.
	 * @return whether it overrides {@code handleAsync}
	 */
	boolean handlerAnswersLater() {
		return this.handlerAnswersLater;
	}

	/**
	 * Whether the handler runs on the I/O thread that read the request: it says it never blocks
	 * ({@link RequestHandler#isBlocking}), and no shared store of served requests is to be asked first.
	 * @return whether it does
	 */
	boolean handlerRunsInline() {
		return this.handlerRunsInline && this.servedRequestStore == null;
	}

	private static boolean overridesHandleAsync(RequestHandler handler) {
		try {
			return handler.getClass().getMethod("handleAsync", IncomingRequest.class).getDeclaringClass()
					!= RequestHandler.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	public PayloadCodec codec() {
		return this.codec;
	}

	/**
	 * The wire protocol the endpoint's connections speak.
	 * @return the protocol
	 */
	public WireProtocol protocol() {
		return this.protocol;
	}

	/**
	 * Sets the wire protocol, and its payload codec where it has one; called by the endpoint before any link exists.
	 * @param protocol the protocol
	 */
	public void setProtocol(WireProtocol protocol) {
		this.protocol = protocol;
		PayloadCodec own = protocol.getPayloadCodec();
		if (own != null) {
			this.codec = own;
		}
	}

	public void setCodec(PayloadCodec codec) {
		this.codec = codec;
	}

	/**
	 * Whether the endpoint is quiesced, which a link made now starts as.
	 * @return whether it is
	 */
	public boolean isQuiesced() {
		return this.quiesced;
	}

	/**
	 * Records whether the endpoint is quiesced; the endpoint tells its current links itself.
	 * @param quiesced whether it is
	 * @return whether that changed it
	 */
	public synchronized boolean setQuiesced(boolean quiesced) {
		boolean changed = this.quiesced != quiesced;
		this.quiesced = quiesced;
		return changed;
	}

	public RequestObserver observer() {
		return this.observer;
	}

	public void setObserver(RequestObserver observer) {
		this.observer = observer;
	}

	/**
	 * What the links observe each request with ({@link RequestObservations#OFF} unless set).
	 * @return the observations
	 */
	public RequestObservations observations() {
		return this.observations;
	}

	public void setObservations(RequestObservations observations) {
		this.observations = observations;
	}

	/**
	 * The fencing epoch this instance holds for the endpoint now (section 4.6 of the protocol); 0 for none.
	 * @return the epoch
	 */
	public long fencingEpoch() {
		return this.fencingEpoch.getAsLong();
	}

	public void setFencingEpoch(LongSupplier epoch) {
		this.fencingEpoch = epoch;
	}

	/**
	 * The store of served requests shared with the service's other instances, or {@code null} for none.
	 * @return the store
	 */
	public @Nullable ServedRequestStore servedRequestStore() {
		return this.servedRequestStore;
	}

	public void setServedRequestStore(@Nullable ServedRequestStore store) {
		this.servedRequestStore = store;
	}

	/**
	 * Publishes an event about the endpoint rather than one link (a connection refused before it joined a link), on
	 * the event threads.
	 * @param event the event
	 */
	public void publish(DualSocketEvent event) {
		publish(this.endpointEvents, event);
	}

	void publish(EventMailbox mailbox, DualSocketEvent event) {
		mailbox.post(() -> this.events.onEvent(event));
	}

	/** A mailbox for one link's events or observations, delivered in order on the event threads. */
	EventMailbox mailbox(String owner) {
		return new EventMailbox(this.transport.eventThreads(), owner);
	}

	/** Tells the observer how a request ended, on the event threads; nothing at all when nobody observes. */
	void observe(EventMailbox mailbox, RequestObserver.Direction direction, RequestObserver.Outcome outcome,
			long nanos) {
		RequestObserver current = this.observer;
		if (current != RequestObserver.NONE) {
			mailbox.post(() -> current.requestCompleted(this.endpointName, direction, outcome, nanos));
		}
	}

	Instant now() {
		return Instant.now();
	}

}

package dev.dualsocket.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.LinkSettings.OwnRequests;
import dev.dualsocket.link.LinkSettings.WhileDisconnected;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of dual-socket endpoints: shared {@code defaults}, and named {@code endpoints} that inherit them and
 * may override any of them.
 */
@ConfigurationProperties("dual-socket")
public class DualSocketProperties {

	/**
	 * Settings every endpoint inherits unless it overrides them.
	 */
	@NestedConfigurationProperty
	private final LinkProperties defaults = LinkProperties.withDefaults();

	/**
	 * The endpoints, by name. The name is the endpoint bean's qualifier and appears in logs, events, health and
	 * metrics.
	 */
	private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	/**
	 * The threads that all endpoints share.
	 */
	@NestedConfigurationProperty
	private final Transport transport = new Transport();

	/**
	 * How the application's readiness follows its endpoints.
	 */
	@NestedConfigurationProperty
	private final Readiness readiness = new Readiness();

	/**
	 * How @DualSocketListener methods answer.
	 */
	@NestedConfigurationProperty
	private final Listener listener = new Listener();

	/**
	 * What the endpoints that run on one instance at a time ({@code dual-socket.endpoints.<name>.ha}) share.
	 */
	@NestedConfigurationProperty
	private final HaStore ha = new HaStore();

	public HaStore getHa() {
		return this.ha;
	}

	public Readiness getReadiness() {
		return this.readiness;
	}

	public Listener getListener() {
		return this.listener;
	}

	public LinkProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, Endpoint> getEndpoints() {
		return this.endpoints;
	}

	/**
	 * The endpoints that run only while this instance leads them ({@code ha.enabled}), in the order they are
	 * configured.
	 * @return them, by name
	 */
	public Map<String, Endpoint> activeStandbyEndpoints() {
		return activeStandby(this.endpoints);
	}

	/**
	 * The endpoints among the given ones that have {@code ha.enabled}, in their order.
	 * @param endpoints endpoints by name
	 * @return those, by name
	 */
	public static Map<String, Endpoint> activeStandby(Map<String, Endpoint> endpoints) {
		Map<String, Endpoint> activeStandby = new LinkedHashMap<>();
		endpoints.forEach((name, endpoint) -> {
			if (endpoint.getHa().isEnabled()) {
				activeStandby.put(name, endpoint);
			}
		});
		return activeStandby;
	}

	public Transport getTransport() {
		return this.transport;
	}

	/**
	 * Timing and recovery of links. Under {@code dual-socket.defaults} every value is set; under an endpoint a value
	 * left unset is inherited from the defaults.
	 */
	public static class LinkProperties {

		/**
		 * Per-socket heartbeats.
		 */
		@NestedConfigurationProperty
		private final Heartbeat heartbeat = new Heartbeat();

		/**
		 * How long a request waits for its response, including any time spent waiting for a recovering link.
		 */
		private @Nullable Duration requestTimeout;

		/**
		 * How long a client waits for a connection and its handshake, and a server for the handshake of a new
		 * connection.
		 */
		private @Nullable Duration connectTimeout;

		/**
		 * Largest frame accepted or sent (type byte to end of payload). A larger frame from the peer closes that
		 * connection; a larger request fails at the caller.
		 */
		private @Nullable DataSize maxFrameSize;

		/**
		 * Most responses a link keeps per session to answer requests the peer sends again after a socket failure,
		 * without running them twice. Responses the peer has acknowledged (through the low watermark in its
		 * heartbeats) are dropped sooner. A copy of a request whose response was dropped is still never run again:
		 * it is answered DUPLICATE_EXPIRED. Keep this above the most requests the peer has in flight on one link.
		 */
		private @Nullable Integer duplicateCacheSize;

		/**
		 * Most payload bytes of those responses a link keeps per session, so that large responses cannot make
		 * duplicate-cache-size of them a memory problem. Dropping one for room never lets its request run again either.
		 * The default of 8MB holds eight responses of the default max-frame-size, or the whole duplicate-cache-size of
		 * responses up to some 800 bytes; it is per link, so a server's worst case is max-links times it. Keep it above
		 * max-frame-size: a larger response is not kept at all.
		 */
		private @Nullable DataSize duplicateCacheBytes;

		/**
		 * Most requests this side may have awaiting their answers on one link. Beyond it request() fails at once with
		 * TooManyRequestsInFlightException, without sending anything, so that a caller that outruns the peer cannot
		 * grow memory without bound.
		 */
		private @Nullable Integer maxRequestsInFlight;

		/**
		 * What a client's request() does while its link is not connected: 'fail' (at once, with
		 * LinkDisconnectedException saying why, while the link is DISCONNECTED or has never been established and an
		 * attempt failed) or 'wait' (until the link is established, bounded by request-timeout). A link recovering a
		 * socket, or connecting again after it was up, holds requests either way.
		 */
		private @Nullable WhileDisconnected requestWhileDisconnected;

		/**
		 * How a client re-connects a failed socket and re-establishes a lost link.
		 */
		@NestedConfigurationProperty
		private final Reconnect reconnect = new Reconnect();

		/**
		 * Bounds of the recovery procedures.
		 */
		@NestedConfigurationProperty
		private final Recovery recovery = new Recovery();

		/**
		 * What a link does while this side is quiesced.
		 */
		@NestedConfigurationProperty
		private final Quiesce quiesce = new Quiesce();

		/**
		 * Diagnosis of socket failures (seed 003): what failed, found beside the recovery procedure.
		 */
		@NestedConfigurationProperty
		private final Diagnosis diagnosis = new Diagnosis();

		/**
		 * The engine's own defaults ({@code LinkSettings.builder().build()}), so that each default is defined once, in
		 * the core.
		 */
		static LinkProperties withDefaults() {
			LinkSettings settings = LinkSettings.builder().build();
			LinkSettings.Reconnect reconnect = settings.reconnect();
			LinkProperties defaults = new LinkProperties();
			defaults.heartbeat.setInterval(settings.heartbeatInterval());
			defaults.heartbeat.setTimeout(settings.heartbeatTimeout());
			defaults.setRequestTimeout(settings.requestTimeout());
			defaults.setConnectTimeout(settings.connectTimeout());
			defaults.setMaxFrameSize(DataSize.ofBytes(settings.maxFrameSize()));
			defaults.setDuplicateCacheSize(settings.duplicateCacheSize());
			defaults.setDuplicateCacheBytes(DataSize.ofBytes(settings.duplicateCacheBytes()));
			defaults.setMaxRequestsInFlight(settings.maxRequestsInFlight());
			defaults.setRequestWhileDisconnected(settings.requestWhileDisconnected());
			defaults.reconnect.setMaxAttempts(reconnect.maxAttempts());
			defaults.reconnect.setInitialBackoff(reconnect.initialBackoff());
			defaults.reconnect.setMultiplier(reconnect.multiplier());
			defaults.reconnect.setMaxBackoff(reconnect.maxBackoff());
			defaults.reconnect.setJitter(reconnect.jitter());
			defaults.reconnect.afterDisconnect.setEnabled(reconnect.afterDisconnect().enabled());
			defaults.reconnect.afterDisconnect.setInterval(reconnect.afterDisconnect().interval());
			defaults.reconnect.afterDisconnect.setMaxAttempts(reconnect.afterDisconnect().maxAttempts());
			defaults.recovery.setProbeTimeout(settings.recovery().probeTimeout());
			defaults.recovery.setWaitTimeout(settings.recovery().waitTimeout());
			defaults.recovery.setTimeout(settings.recovery().timeout());
			defaults.quiesce.setMaxQueued(settings.quiesce().maxQueued());
			defaults.quiesce.setMaxQueuedBytes(DataSize.ofBytes(settings.quiesce().maxQueuedBytes()));
			defaults.quiesce.setOwnRequests(settings.quiesce().ownRequests());
			defaults.diagnosis.setEnabled(settings.diagnosis().enabled());
			defaults.diagnosis.setStepTimeout(settings.diagnosis().stepTimeout());
			return defaults;
		}

		public Heartbeat getHeartbeat() {
			return this.heartbeat;
		}

		public @Nullable Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(@Nullable Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public @Nullable Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(@Nullable Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public @Nullable DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(@Nullable DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public @Nullable Integer getDuplicateCacheSize() {
			return this.duplicateCacheSize;
		}

		public void setDuplicateCacheSize(@Nullable Integer duplicateCacheSize) {
			this.duplicateCacheSize = duplicateCacheSize;
		}

		public @Nullable DataSize getDuplicateCacheBytes() {
			return this.duplicateCacheBytes;
		}

		public void setDuplicateCacheBytes(@Nullable DataSize duplicateCacheBytes) {
			this.duplicateCacheBytes = duplicateCacheBytes;
		}

		public @Nullable Integer getMaxRequestsInFlight() {
			return this.maxRequestsInFlight;
		}

		public void setMaxRequestsInFlight(@Nullable Integer maxRequestsInFlight) {
			this.maxRequestsInFlight = maxRequestsInFlight;
		}

		public @Nullable WhileDisconnected getRequestWhileDisconnected() {
			return this.requestWhileDisconnected;
		}

		public void setRequestWhileDisconnected(@Nullable WhileDisconnected requestWhileDisconnected) {
			this.requestWhileDisconnected = requestWhileDisconnected;
		}

		public Reconnect getReconnect() {
			return this.reconnect;
		}

		public Recovery getRecovery() {
			return this.recovery;
		}

		public Quiesce getQuiesce() {
			return this.quiesce;
		}

		public Diagnosis getDiagnosis() {
			return this.diagnosis;
		}

	}

	/**
	 * What a link does while this side is quiesced ({@code quiesce()}, or the actuator's {@code quiesce} operation):
	 * both sockets and their heartbeats stay up and the peer is told.
	 */
	public static class Quiesce {

		/**
		 * Most requests of the peer that wait for resume; beyond it they are answered BUSY without running, and the
		 * peer's library sends them again later.
		 */
		private @Nullable Integer maxQueued;

		/**
		 * Most payload bytes of the requests that wait for resume; beyond it likewise.
		 */
		private @Nullable DataSize maxQueuedBytes;

		/**
		 * What this side's own requests do meanwhile: 'wait' (sent on resume, bounded by request-timeout) or 'fail'
		 * (at once, with LinkQuiescedException).
		 */
		private @Nullable OwnRequests ownRequests;

		public @Nullable Integer getMaxQueued() {
			return this.maxQueued;
		}

		public void setMaxQueued(@Nullable Integer maxQueued) {
			this.maxQueued = maxQueued;
		}

		public @Nullable DataSize getMaxQueuedBytes() {
			return this.maxQueuedBytes;
		}

		public void setMaxQueuedBytes(@Nullable DataSize maxQueuedBytes) {
			this.maxQueuedBytes = maxQueuedBytes;
		}

		public @Nullable OwnRequests getOwnRequests() {
			return this.ownRequests;
		}

		public void setOwnRequests(@Nullable OwnRequests ownRequests) {
			this.ownRequests = ownRequests;
		}

	}

	/**
	 * The tables in the application's database that the instances of a service share for active/standby endpoints.
	 */
	public static class HaStore {

		/**
		 * Whether the tables of leader election (INT_LOCK), fencing epochs (DUAL_SOCKET_EPOCH) and served requests
		 * (DUAL_SOCKET_SERVED_REQUEST) are created at start-up if missing (PostgreSQL DDL): always, or never (they are
		 * made by the application's own migrations).
		 */
		private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

		public InitializeSchema getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(InitializeSchema initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		/** When the HA tables are created. */
		public enum InitializeSchema {

			/** At every start-up, if they are missing. */
			ALWAYS,

			/** Never: the application's migrations make them. */
			NEVER

		}

	}

	/**
	 * One endpoint's active/standby across instances of the service (seeds 003 and 004).
	 */
	public static class Ha {

		/**
		 * Whether the endpoint runs only on the instance that holds leadership for its role (Spring Integration's
		 * leader election on a LockRegistry; with a DataSource and no registry of the application's, a
		 * JdbcLockRegistry). Off: the endpoint runs on every instance.
		 */
		private boolean enabled;

		/**
		 * The name the instances compete for; the same on every instance of the service. Unset:
		 * dual-socket.<endpoint name>.
		 */
		private @Nullable String role;

		/**
		 * How long the leader's lock lasts without renewal: a standby takes over at most this long after the leader
		 * died.
		 */
		private Duration lockTtl = Duration.ofSeconds(10);

		/**
		 * How often the leader renews its lock; below lock-ttl.
		 */
		private Duration heartBeat = Duration.ofMillis(500);

		/**
		 * How long a standby waits between two attempts to take the lock.
		 */
		private Duration busyWait = Duration.ofMillis(50);

		/**
		 * Server: whether the instances share the requests they served in the database
		 * (DUAL_SOCKET_SERVED_REQUEST), so that a request a client re-sends after a failover is answered from there
		 * and not run again (section 6.6 of docs/PROTOCOL.md).
		 */
		private boolean sharedStore;

		/**
		 * How long the shared store keeps a served request; above the clients' longest request timeout.
		 */
		private Duration sharedStoreRetention = Duration.ofMinutes(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getRole() {
			return this.role;
		}

		public void setRole(@Nullable String role) {
			this.role = role;
		}

		public Duration getLockTtl() {
			return this.lockTtl;
		}

		public void setLockTtl(Duration lockTtl) {
			this.lockTtl = lockTtl;
		}

		public Duration getHeartBeat() {
			return this.heartBeat;
		}

		public void setHeartBeat(Duration heartBeat) {
			this.heartBeat = heartBeat;
		}

		public Duration getBusyWait() {
			return this.busyWait;
		}

		public void setBusyWait(Duration busyWait) {
			this.busyWait = busyWait;
		}

		public boolean isSharedStore() {
			return this.sharedStore;
		}

		public void setSharedStore(boolean sharedStore) {
			this.sharedStore = sharedStore;
		}

		public Duration getSharedStoreRetention() {
			return this.sharedStoreRetention;
		}

		public void setSharedStoreRetention(Duration sharedStoreRetention) {
			this.sharedStoreRetention = sharedStoreRetention;
		}

	}

	/**
	 * How the application's readiness ({@code /actuator/health/readiness}) follows its endpoints.
	 */
	public static class Readiness {

		/**
		 * Whether the application refuses traffic (readiness REFUSING_TRAFFIC) while any endpoint is quiesced, and
		 * accepts it again once all are resumed.
		 */
		private boolean refuseWhenQuiesced;

		public boolean isRefuseWhenQuiesced() {
			return this.refuseWhenQuiesced;
		}

		public void setRefuseWhenQuiesced(boolean refuseWhenQuiesced) {
			this.refuseWhenQuiesced = refuseWhenQuiesced;
		}

	}

	/**
	 * Per-socket heartbeats.
	 */
	public static class Heartbeat {

		/**
		 * How often each socket sends a heartbeat; at least 50ms, since a peer closes a connection that sends more than 50
		 * heartbeats a second.
		 */
		private @Nullable Duration interval;

		/**
		 * How long a socket may stay silent, or leave a heartbeat unanswered, before it counts as failed. Must be
		 * longer than the interval.
		 */
		private @Nullable Duration timeout;

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * How a client re-connects.
	 */
	public static class Reconnect {

		/**
		 * Attempts to re-connect one failed socket inside a recovery procedure before the link is given up.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * Wait before the second attempt.
		 */
		private @Nullable Duration initialBackoff;

		/**
		 * Factor by which the wait grows after each attempt.
		 */
		private @Nullable Double multiplier;

		/**
		 * Longest wait between two attempts.
		 */
		private @Nullable Duration maxBackoff;

		/**
		 * Whether each wait is randomised (between the wait and the wait times the multiplier), so that many clients
		 * do not retry in step.
		 */
		private @Nullable Boolean jitter;

		/**
		 * Re-establishing a whole link after it went disconnected; the same interval and attempt limit govern the
		 * first connection at start-up.
		 */
		@NestedConfigurationProperty
		private final AfterDisconnect afterDisconnect = new AfterDisconnect();

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public @Nullable Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(@Nullable Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(@Nullable Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public @Nullable Boolean getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Boolean jitter) {
			this.jitter = jitter;
		}

		public AfterDisconnect getAfterDisconnect() {
			return this.afterDisconnect;
		}

	}

	/**
	 * Re-establishing a whole link after it went disconnected.
	 */
	public static class AfterDisconnect {

		/**
		 * Whether a client re-establishes a disconnected link on its own.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Wait between two failed attempts, and before the first one after the peer closed the link in order. After
		 * a failure the first attempt goes at once.
		 */
		private @Nullable Duration interval;

		/**
		 * Attempts before giving up; -1 for no limit.
		 */
		private @Nullable Integer maxAttempts;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/**
	 * Bounds of the recovery procedures.
	 */
	public static class Recovery {

		/**
		 * How long the probe of the other socket waits for its answer (Figs. 5 and 7).
		 */
		private @Nullable Duration probeTimeout;

		/**
		 * How long a server waits for the client to re-connect a socket (Figs. 7 and 8) or to connect a new link's
		 * second socket, and keeps a disconnected link before forgetting it.
		 */
		private @Nullable Duration waitTimeout;

		/**
		 * Longest a link stays RECOVERING, whatever its procedure does (so also how long a socket failure waits for a
		 * procedure already running, Figs. 6 and 8), and longest one establishment attempt may take. Past it the
		 * procedure is cancelled and the link given up, or the attempt counted as failed.
		 */
		private @Nullable Duration timeout;

		public @Nullable Duration getProbeTimeout() {
			return this.probeTimeout;
		}

		public void setProbeTimeout(@Nullable Duration probeTimeout) {
			this.probeTimeout = probeTimeout;
		}

		public @Nullable Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		public void setWaitTimeout(@Nullable Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Diagnosis of socket failures (seed 003).
	 */
	public static class Diagnosis {

		/**
		 * Whether a socket failure is diagnosed: the other socket probed (within recovery.probe-timeout), a fresh TCP
		 * connection made to the peer (a client only; nothing is sent on it and it is closed at once), the local
		 * interface looked at, and the next standby address tried. The verdict goes into the link's state events, its
		 * health details, the dualsocket.link.diagnoses metric and the log. It never delays the recovery.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Bound of each step after the probe (the fresh connect, the interface, the standby address). A diagnosis takes
		 * at most recovery.probe-timeout plus three times this.
		 */
		private @Nullable Duration stepTimeout;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getStepTimeout() {
			return this.stepTimeout;
		}

		public void setStepTimeout(@Nullable Duration stepTimeout) {
			this.stepTimeout = stepTimeout;
		}

	}

	/**
	 * One endpoint: its role and address, plus any default it overrides.
	 */
	public static class Endpoint extends LinkProperties {

		/**
		 * Whether the endpoint connects to one peer (client) or listens for many client links (server).
		 */
		private @Nullable EndpointRole role;

		/**
		 * Client: the peer's host. Server: the address to listen on (all interfaces when unset).
		 */
		private @Nullable String host;

		/**
		 * Client: the peer's port. Server: the port to listen on; 0 picks a free port.
		 */
		private @Nullable Integer port;

		/**
		 * Client: the link id it presents, unique among the clients of one server (1 to 255 bytes of UTF-8).
		 */
		private @Nullable String linkId;

		/**
		 * Client: standby addresses ({@code host:port}) tried in order when the link has to be established again
		 * and the address before them does not answer.
		 */
		private List<String> standby = new ArrayList<>();

		/**
		 * Server: the most links it holds at once. A client opening one more is refused with
		 * LINK_LIMIT and tries again after its interval; the links held are not affected.
		 */
		private @Nullable Integer maxLinks;

		/**
		 * Server: the most accepted connections that have not yet sent their HELLO. One more
		 * is closed at once, so that connections that never send a HELLO cannot pile up.
		 */
		private @Nullable Integer maxPendingHandshakes;

		/**
		 * Server: the most connections open at once from one remote IP address, in their handshake or attached to a
		 * link. One more is closed at once, so that one address cannot take every connection the server
		 * can hold; links held are not affected. Keep it above twice the links that come from one address.
		 */
		private @Nullable Integer maxConnectionsPerAddress;

		/**
		 * TLS for both sockets.
		 */
		@NestedConfigurationProperty
		private final Ssl ssl = new Ssl();

		/**
		 * How connections prove they belong to their link.
		 */
		@NestedConfigurationProperty
		private final Auth auth = new Auth();

		/**
		 * Client with standby addresses: moving back to the primary address once it answers again.
		 */
		@NestedConfigurationProperty
		private final Failback failback = new Failback();

		/**
		 * Active/standby across instances of the service: the endpoint runs only on the instance that leads it.
		 */
		@NestedConfigurationProperty
		private final Ha ha = new Ha();

		/**
		 * The wire protocol both connections speak: dual-socket (this project's), iso8583 (needs
		 * dual-socket-iso8583 and jPOS on the class path) or smpp (needs dual-socket-smpp and jSMPP).
		 */
		private Protocol protocol = Protocol.DUAL_SOCKET;

		/**
		 * For a protocol that pairs connections by port (iso8583). Client: the peer's port for the inbound socket.
		 * Server: the port the client's inbound connection arrives on, beside port for its outbound one. Unset:
		 * both sockets use port.
		 */
		private @Nullable Integer inboundPort;

		/**
		 * With protocol iso8583: encoding, framing and correlation of the ISO 8583 messages.
		 */
		@NestedConfigurationProperty
		private final Iso8583 iso8583 = new Iso8583();

		/**
		 * With protocol smpp: the credentials of the binds.
		 */
		@NestedConfigurationProperty
		private final Smpp smpp = new Smpp();

		public Protocol getProtocol() {
			return this.protocol;
		}

		public void setProtocol(Protocol protocol) {
			this.protocol = protocol;
		}

		public @Nullable Integer getInboundPort() {
			return this.inboundPort;
		}

		public void setInboundPort(@Nullable Integer inboundPort) {
			this.inboundPort = inboundPort;
		}

		public Iso8583 getIso8583() {
			return this.iso8583;
		}

		public Smpp getSmpp() {
			return this.smpp;
		}

		public Ha getHa() {
			return this.ha;
		}

		public @Nullable EndpointRole getRole() {
			return this.role;
		}

		public void setRole(@Nullable EndpointRole role) {
			this.role = role;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable Integer getMaxLinks() {
			return this.maxLinks;
		}

		public void setMaxLinks(@Nullable Integer maxLinks) {
			this.maxLinks = maxLinks;
		}

		public @Nullable Integer getMaxPendingHandshakes() {
			return this.maxPendingHandshakes;
		}

		public void setMaxPendingHandshakes(@Nullable Integer maxPendingHandshakes) {
			this.maxPendingHandshakes = maxPendingHandshakes;
		}

		public @Nullable Integer getMaxConnectionsPerAddress() {
			return this.maxConnectionsPerAddress;
		}

		public void setMaxConnectionsPerAddress(@Nullable Integer maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		}

		public @Nullable String getLinkId() {
			return this.linkId;
		}

		public void setLinkId(@Nullable String linkId) {
			this.linkId = linkId;
		}

		public List<String> getStandby() {
			return this.standby;
		}

		public void setStandby(List<String> standby) {
			this.standby = standby;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Auth getAuth() {
			return this.auth;
		}

		public Failback getFailback() {
			return this.failback;
		}

	}

	/**
	 * Failback of a client with standby addresses (seed 004).
	 */
	public static class Failback {

		/**
		 * Whether a client that moved to a standby address moves back to its primary: it tries the primary every
		 * probe-interval and moves back once the primary has answered for stable-for and the link has no request in
		 * flight. Needs standby addresses.
		 */
		private boolean enabled;

		/**
		 * How long the primary must keep answering before the client moves back.
		 */
		private Duration stableFor = EndpointSettings.Failback.DISABLED.stableFor();

		/**
		 * How often the client tries the primary while it is on a standby address.
		 */
		private Duration probeInterval = EndpointSettings.Failback.DISABLED.probeInterval();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getStableFor() {
			return this.stableFor;
		}

		public void setStableFor(Duration stableFor) {
			this.stableFor = stableFor;
		}

		public Duration getProbeInterval() {
			return this.probeInterval;
		}

		public void setProbeInterval(Duration probeInterval) {
			this.probeInterval = probeInterval;
		}

	}

	/**
	 * Authentication of an endpoint's connections (section 4.5 of docs/PROTOCOL.md).
	 */
	public static class Auth {

		/**
		 * Shared secret (at least 16 bytes of UTF-8) that every connection proves by HMAC-SHA256 against a fresh
		 * nonce; the client also requires the server to prove it. Set the same value on both sides. On a server, a
		 * LinkSecretResolver bean may give each link id a secret of its own instead. Unset: no secret.
		 */
		private @Nullable String secret;

		/**
		 * Server: require the link id to be named by the TLS client certificate (its subject CN or a DNS or URI
		 * subject alternative name). Needs an SSL bundle with a trust store, so that clients must present one.
		 */
		private boolean certificateBinding;

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public boolean isCertificateBinding() {
			return this.certificateBinding;
		}

		public void setCertificateBinding(boolean certificateBinding) {
			this.certificateBinding = certificateBinding;
		}

	}

	/**
	 * The wire protocols an endpoint can speak.
	 */
	public enum Protocol {

		/** This project's protocol ({@code docs/PROTOCOL.md}). */
		DUAL_SOCKET,

		/** ISO 8583 through jPOS's packagers ({@code docs/ISO8583.md}). */
		ISO8583,

		/** SMPP 3.4 through jSMPP's PDU codec ({@code docs/SMPP.md}). */
		SMPP

	}

	/**
	 * An endpoint's ISO 8583 settings.
	 */
	public static class Iso8583 {

		/**
		 * The jPOS packager: a GenericPackager XML resource (for example classpath:packager/iso87binary.xml, which jPOS ships) or the name of a
		 * jPOS packager class (for example org.jpos.iso.packager.ISO87APackager). Required with protocol iso8583.
		 */
		private @Nullable String packager;

		/**
		 * The length header in front of each message: binary-2 (two bytes, big-endian) or ascii-4 (four ASCII
		 * digits, as jPOS's ASCIIChannel).
		 */
		private String lengthHeader = "binary-2";

		/**
		 * The data elements that, with the MTI, pair a response with its request. Unset: the STAN (11) and the
		 * terminal id (41).
		 */
		private List<Integer> keyFields = new ArrayList<>();

		public @Nullable String getPackager() {
			return this.packager;
		}

		public void setPackager(@Nullable String packager) {
			this.packager = packager;
		}

		public String getLengthHeader() {
			return this.lengthHeader;
		}

		public void setLengthHeader(String lengthHeader) {
			this.lengthHeader = lengthHeader;
		}

		public List<Integer> getKeyFields() {
			return this.keyFields;
		}

		public void setKeyFields(List<Integer> keyFields) {
			this.keyFields = keyFields;
		}

	}

	/**
	 * An endpoint's SMPP settings. The link id is the system id.
	 */
	public static class Smpp {

		/**
		 * Client: the password of its binds (at most 8 characters).
		 */
		private @Nullable String password;

		/**
		 * Client: the system type of its binds (at most 12 characters). Unset: empty.
		 */
		private @Nullable String systemType;

		/**
		 * Server: the system id it answers binds with.
		 */
		private String smscSystemId = "dual-socket";

		/**
		 * Server: the ESMEs allowed to bind, by system id. None: any system id binds without a password, and a bind
		 * cannot replace one that is still up.
		 */
		private final Map<String, SmppAccount> accounts = new LinkedHashMap<>();

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getSystemType() {
			return this.systemType;
		}

		public void setSystemType(@Nullable String systemType) {
			this.systemType = systemType;
		}

		public String getSmscSystemId() {
			return this.smscSystemId;
		}

		public void setSmscSystemId(String smscSystemId) {
			this.smscSystemId = smscSystemId;
		}

		public Map<String, SmppAccount> getAccounts() {
			return this.accounts;
		}

	}

	/**
	 * An ESME allowed to bind to an SMPP server endpoint.
	 */
	public static class SmppAccount {

		/**
		 * The password its binds must present (at most 8 characters).
		 */
		private @Nullable String password;

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * TLS for an endpoint's sockets.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle ({@code spring.ssl.bundle.*}) that holds the key and trust material; plain TCP when
		 * unset.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * The threads all endpoints share.
	 */
	public static class Transport {

		/**
		 * Event-loop threads that do all socket I/O; 0 means twice the number of CPUs.
		 */
		private int ioThreads = 0;

		/**
		 * Most threads that run request handlers at once, off the I/O threads. 0 runs every handler on the I/O threads
		 * themselves, only right if none ever blocks; a handler that never blocks can say so instead
		 * (@DualSocketListener(blocking = false), RequestHandler.nonBlocking).
		 */
		private int handlerThreads = 16;

		/**
		 * Requests that may wait for a handler thread; beyond it the peer gets a BUSY error.
		 */
		private int handlerQueueCapacity = 10_000;

		/**
		 * Most threads that run clients' blocking re-connect attempts at once; further attempts wait their turn.
		 */
		private int recoveryThreads = 8;

		/**
		 * Whether to use the native epoll transport where the platform has it.
		 */
		private boolean nativeTransport = true;

		/**
		 * How often the state of the network interfaces carrying sockets is checked.
		 */
		private Duration interfacePollInterval = Duration.ofSeconds(1);

		public int getIoThreads() {
			return this.ioThreads;
		}

		public void setIoThreads(int ioThreads) {
			this.ioThreads = ioThreads;
		}

		public int getHandlerThreads() {
			return this.handlerThreads;
		}

		public void setHandlerThreads(int handlerThreads) {
			this.handlerThreads = handlerThreads;
		}

		public int getHandlerQueueCapacity() {
			return this.handlerQueueCapacity;
		}

		public void setHandlerQueueCapacity(int handlerQueueCapacity) {
			this.handlerQueueCapacity = handlerQueueCapacity;
		}

		public int getRecoveryThreads() {
			return this.recoveryThreads;
		}

		public void setRecoveryThreads(int recoveryThreads) {
			this.recoveryThreads = recoveryThreads;
		}

		public boolean isNativeTransport() {
			return this.nativeTransport;
		}

		public void setNativeTransport(boolean nativeTransport) {
			this.nativeTransport = nativeTransport;
		}

		public Duration getInterfacePollInterval() {
			return this.interfacePollInterval;
		}

		public void setInterfacePollInterval(Duration interfacePollInterval) {
			this.interfacePollInterval = interfacePollInterval;
		}

	}

	/**
	 * How {@code @DualSocketListener} methods answer.
	 */
	public static class Listener {

		/**
		 * Whether a peer whose request made a listener throw is told the exception's type and message. Off by default:
		 * an exception's text may hold what a peer should not learn; the peer is told only that the request failed,
		 * and the exception is logged at WARN.
		 */
		private boolean exposeErrors;

		public boolean isExposeErrors() {
			return this.exposeErrors;
		}

		public void setExposeErrors(boolean exposeErrors) {
			this.exposeErrors = exposeErrors;
		}

	}

	/**
	 * Micrometer Observations of requests, with the trace context carried across the link.
	 */
	@NestedConfigurationProperty
	private final Observations observations = new Observations();

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Micrometer Observations of requests: one per request on each side ({@code dualsocket.request.outbound},
	 * {@code dualsocket.request.inbound}), through the application's {@code ObservationRegistry}, with the W3C trace
	 * context carried in each request's header fields so that a tracer sees one trace across both services.
	 */
	public static class Observations {

		/**
		 * Whether requests are observed. Off by default, as Spring AMQP's and Spring Kafka's observations are: the
		 * dualsocket.requests timer measures requests already, and off costs nothing per request.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}

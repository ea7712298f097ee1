package dev.dualsocket.link;

import java.time.Duration;

/**
 * Everything that governs one link's timing and recovery. Immutable; {@link #builder()} starts from the defaults.
 *
 * @param heartbeatInterval how often each socket sends a heartbeat
 * @param heartbeatTimeout how long a socket may stay silent, or leave a heartbeat unanswered, before it has failed
 * @param requestTimeout how long a request waits for its response
 * @param connectTimeout how long a client waits for a connection and its handshake; also how long a server waits
 * for the handshake of a new connection
 * @param maxFrameSize the largest frame accepted or sent, in bytes from the type byte to the end of the payload
 * @param duplicateCacheSize most responses a link keeps per session to answer re-sent requests without running them
 * again; keep it above the most requests the peer has in flight on one link
 * @param duplicateCacheBytes most payload bytes of those responses a link keeps per session, so that large responses
 * cannot make {@code duplicateCacheSize} of them a memory problem; a response dropped for room is still never run
 * again. The default of 8 MiB holds eight responses of the default {@code maxFrameSize} (1 MiB), or the full
 * {@code duplicateCacheSize} of responses up to some 800 bytes; it is per link, so a server's worst case is
 * {@code max-links} times it. Keep it above {@code maxFrameSize}: a larger response is not kept at all
 * @param maxRequestsInFlight most requests this side may have awaiting their answers on one link; beyond it
 * {@code request()} fails at once with a {@link dev.dualsocket.TooManyRequestsInFlightException}
 * @param reconnect how a client re-connects
 * @param recovery the bounds of the recovery procedures
 * @param quiesce what a link does while it is quiesced
 * @param diagnosis whether and how a socket failure is diagnosed (seed 003)
 * @param requestWhileDisconnected what a client's {@code request()} does while its link is not connected: see
 * {@link WhileDisconnected}
 */
public record LinkSettings(Duration heartbeatInterval, Duration heartbeatTimeout, Duration requestTimeout,
		Duration connectTimeout, int maxFrameSize, int duplicateCacheSize, long duplicateCacheBytes,
		int maxRequestsInFlight, Reconnect reconnect, Recovery recovery, Quiesce quiesce, Diagnosis diagnosis,
		WhileDisconnected requestWhileDisconnected) {

	/** The shortest heartbeat interval: a peer closes a connection that sends more than 50 heartbeats a second. */
	public static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(50);

	/**
	 * Checks what the protocol requires of the settings.
	 * @throws IllegalArgumentException if the heartbeat interval is shorter than {@link #MIN_HEARTBEAT_INTERVAL}
	 */
	public LinkSettings {
		if (heartbeatInterval.compareTo(MIN_HEARTBEAT_INTERVAL) < 0) {
			throw new IllegalArgumentException("heartbeat interval must be at least " + MIN_HEARTBEAT_INTERVAL.toMillis()
					+ " ms (protocol section 5: at most 50 heartbeats a second), was " + heartbeatInterval.toMillis()
					+ " ms");
		}
	}

	/**
	 * How a client re-connects.
	 *
	 * @param maxAttempts attempts to re-connect one socket inside a recovery procedure
	 * @param initialBackoff wait before the second attempt
	 * @param multiplier factor by which the wait grows after each attempt
	 * @param maxBackoff longest wait between two attempts
	 * @param jitter whether each wait is randomised (between the wait and the wait times the multiplier)
	 * @param afterDisconnect how a client re-establishes a whole link after it went disconnected
	 */
	public record Reconnect(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
			boolean jitter, AfterDisconnect afterDisconnect) {
	}

	/**
	 * How a client re-establishes a whole link after it went disconnected. The same interval and attempt limit
	 * govern the first establishment when the endpoint starts.
	 *
	 * @param enabled whether a disconnected link is re-established at all
	 * @param interval wait between two failed attempts, and before the first one after the peer closed the link in
	 * order; after a failure the first attempt goes at once
	 * @param maxAttempts attempts before giving up; -1 for no limit
	 */
	public record AfterDisconnect(boolean enabled, Duration interval, int maxAttempts) {

		public static final int UNLIMITED = -1;

	}

	/**
	 * The bounds of the recovery procedures.
	 *
	 * @param probeTimeout how long the probe of the other socket waits for its answer (Figs. 5 and 7)
	 * @param waitTimeout how long a server waits for the client to re-connect a socket (Figs. 7 and 8), for a new
	 * link's second socket, and before it forgets a disconnected link
	 * @param timeout the longest a link stays {@code RECOVERING} (and so the longest a failure waits for a procedure
	 * already running on the link to finish, Figs. 6 and 8), and the longest one establishment attempt may take;
	 * past it the procedure is cancelled and the link given up, or the attempt counted as failed
	 */
	public record Recovery(Duration probeTimeout, Duration waitTimeout, Duration timeout) {
	}

	/**
	 * What a link does while this side is quiesced (seed 002, protocol section 6.5).
	 *
	 * @param maxQueued most requests of the peer that wait for {@code resume()}; beyond it they are answered
	 * {@code BUSY}, without running, and the peer sends them again later
	 * @param maxQueuedBytes most payload bytes of those requests; beyond it likewise
	 * @param ownRequests what this side's own {@code request()} calls do meanwhile
	 */
	public record Quiesce(int maxQueued, long maxQueuedBytes, OwnRequests ownRequests) {

		/**
		 * Checks the bounds.
		 * @throws IllegalArgumentException if a bound is negative
		 */
		public Quiesce {
			if (maxQueued < 0 || maxQueuedBytes < 0) {
				throw new IllegalArgumentException("quiesce bounds must not be negative, were " + maxQueued
						+ " requests and " + maxQueuedBytes + " bytes");
			}
		}

	}

	/**
	 * Whether and how a socket failure is diagnosed (seed 003): beside the recovery procedure, never delaying it, the
	 * link probes its other socket (bounded by {@code recovery.probeTimeout}), then makes a fresh TCP connection to
	 * the peer, looks at its local interface and tries an alternate address, each bounded by {@code stepTimeout}. So
	 * a diagnosis takes at most {@code probeTimeout} plus three times {@code stepTimeout}.
	 *
	 * @param enabled whether socket failures are diagnosed at all
	 * @param stepTimeout the bound of each step after the probe
	 */
	public record Diagnosis(boolean enabled, Duration stepTimeout) {

		/** On, with steps of at most 1 s. */
		public static final Diagnosis DEFAULT = new Diagnosis(true, Duration.ofSeconds(1));

		/**
		 * Checks the step timeout.
		 * @throws IllegalArgumentException if it is not positive
		 */
		public Diagnosis {
			if (stepTimeout.isNegative() || stepTimeout.isZero()) {
				throw new IllegalArgumentException("diagnosis step timeout must be positive, was " + stepTimeout);
			}
		}

	}

	/**
	 * What this side's own requests do while it is quiesced.
	 */
	public enum OwnRequests {

		/** They wait, bounded by the request timeout, and go out on {@code resume()}. */
		WAIT,

		/** {@code request()} fails at once with a {@link dev.dualsocket.LinkQuiescedException}. */
		FAIL

	}

	/**
	 * What a client's own {@code request()} does while its link is not connected. Whatever the choice, a link that is
	 * {@code RECOVERING} one socket, or {@code CONNECTING} again after it was established, holds requests for the
	 * socket (bounded by the request timeout): they go out, or out again under the same id, once it is back, and run at
	 * most once. A server's links are not affected: a server never connects, and its {@code DISCONNECTED} links take
	 * no requests.
	 */
	public enum WhileDisconnected {

		/**
		 * {@code request()} fails at once with a {@link dev.dualsocket.LinkDisconnectedException} that says why,
		 * sending nothing, while the link is {@code DISCONNECTED}, and while it is {@code CONNECTING} for the first
		 * time once an attempt to establish it has failed (the requests that were waiting fail then too). Before the
		 * first attempt has failed a request waits, so that a client used as soon as it starts is not refused.
		 */
		FAIL,

		/**
		 * Requests wait for the link to be established, bounded by the request timeout, and go out once it is; they
		 * also wait while it is {@code DISCONNECTED} with a re-establishment to come. Only a link that will not be
		 * established again (re-establishment is off or gave up) fails them at once.
		 */
		WAIT

	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Builds {@link LinkSettings}, starting from the defaults of the design: heartbeat every 1 s with a 3 s timeout,
	 * requests time out after 5 s, 5 re-connect attempts from 100 ms doubling to at most 5 s, re-establishment every
	 * 5 s without limit, probe timeout 1 s, wait timeout 10 s, recovery timeout 30 s, 1 MiB frames, 10,000 requests in
	 * flight, 10,000 responses and 8 MiB of them kept for re-sent requests; while quiesced, 1,000 requests and 8 MiB of
	 * the peer's wait, and this side's own requests wait too; failures diagnosed in steps of at most 1 s; a client's
	 * requests fail at once while its link is not connected ({@link WhileDisconnected#FAIL}).
	 */
	public static final class Builder {

		private Duration heartbeatInterval = Duration.ofSeconds(1);

		private Duration heartbeatTimeout = Duration.ofSeconds(3);

		private Duration requestTimeout = Duration.ofSeconds(5);

		private Duration connectTimeout = Duration.ofSeconds(5);

		private int maxFrameSize = 1024 * 1024;

		private int duplicateCacheSize = 10_000;

		/** Eight frames of the default max-frame-size: see {@link LinkSettings#duplicateCacheBytes()}. */
		private long duplicateCacheBytes = 8L * 1024 * 1024;

		private int maxRequestsInFlight = 10_000;

		private int maxAttempts = 5;

		private Duration initialBackoff = Duration.ofMillis(100);

		private double multiplier = 2.0;

		private Duration maxBackoff = Duration.ofSeconds(5);

		private boolean jitter = true;

		private boolean reestablish = true;

		private Duration reestablishInterval = Duration.ofSeconds(5);

		private int reestablishMaxAttempts = AfterDisconnect.UNLIMITED;

		private Duration probeTimeout = Duration.ofSeconds(1);

		private Duration waitTimeout = Duration.ofSeconds(10);

		private Duration recoveryTimeout = Duration.ofSeconds(30);

		private int quiesceMaxQueued = 1000;

		private long quiesceMaxQueuedBytes = 8L * 1024 * 1024;

		private OwnRequests quiesceOwnRequests = OwnRequests.WAIT;

		private Diagnosis diagnosis = Diagnosis.DEFAULT;

		private WhileDisconnected requestWhileDisconnected = WhileDisconnected.FAIL;

		private Builder() {
		}

		private Builder(LinkSettings settings) {
			this.heartbeatInterval = settings.heartbeatInterval;
			this.heartbeatTimeout = settings.heartbeatTimeout;
			this.requestTimeout = settings.requestTimeout;
			this.connectTimeout = settings.connectTimeout;
			this.maxFrameSize = settings.maxFrameSize;
			this.duplicateCacheSize = settings.duplicateCacheSize;
			this.duplicateCacheBytes = settings.duplicateCacheBytes;
			this.maxRequestsInFlight = settings.maxRequestsInFlight;
			this.maxAttempts = settings.reconnect.maxAttempts;
			this.initialBackoff = settings.reconnect.initialBackoff;
			this.multiplier = settings.reconnect.multiplier;
			this.maxBackoff = settings.reconnect.maxBackoff;
			this.jitter = settings.reconnect.jitter;
			this.reestablish = settings.reconnect.afterDisconnect.enabled;
			this.reestablishInterval = settings.reconnect.afterDisconnect.interval;
			this.reestablishMaxAttempts = settings.reconnect.afterDisconnect.maxAttempts;
			this.probeTimeout = settings.recovery.probeTimeout;
			this.waitTimeout = settings.recovery.waitTimeout;
			this.recoveryTimeout = settings.recovery.timeout;
			this.quiesceMaxQueued = settings.quiesce.maxQueued;
			this.quiesceMaxQueuedBytes = settings.quiesce.maxQueuedBytes;
			this.quiesceOwnRequests = settings.quiesce.ownRequests;
			this.diagnosis = settings.diagnosis;
			this.requestWhileDisconnected = settings.requestWhileDisconnected;
		}

		public Builder heartbeat(Duration interval, Duration timeout) {
			this.heartbeatInterval = interval;
			this.heartbeatTimeout = timeout;
			return this;
		}

		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder maxFrameSize(int maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
			return this;
		}

		public Builder maxRequestsInFlight(int maxRequestsInFlight) {
			this.maxRequestsInFlight = maxRequestsInFlight;
			return this;
		}

		public Builder duplicateCacheSize(int duplicateCacheSize) {
			this.duplicateCacheSize = duplicateCacheSize;
			return this;
		}

		public Builder duplicateCacheBytes(long duplicateCacheBytes) {
			this.duplicateCacheBytes = duplicateCacheBytes;
			return this;
		}

		public Builder reconnect(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
			this.maxAttempts = maxAttempts;
			this.initialBackoff = initialBackoff;
			this.multiplier = multiplier;
			this.maxBackoff = maxBackoff;
			return this;
		}

		public Builder jitter(boolean jitter) {
			this.jitter = jitter;
			return this;
		}

		public Builder afterDisconnect(boolean enabled, Duration interval, int maxAttempts) {
			this.reestablish = enabled;
			this.reestablishInterval = interval;
			this.reestablishMaxAttempts = maxAttempts;
			return this;
		}

		public Builder recovery(Duration probeTimeout, Duration waitTimeout, Duration timeout) {
			this.probeTimeout = probeTimeout;
			this.waitTimeout = waitTimeout;
			this.recoveryTimeout = timeout;
			return this;
		}

		public Builder quiesce(int maxQueued, long maxQueuedBytes, OwnRequests ownRequests) {
			this.quiesceMaxQueued = maxQueued;
			this.quiesceMaxQueuedBytes = maxQueuedBytes;
			this.quiesceOwnRequests = ownRequests;
			return this;
		}

		public Builder diagnosis(boolean enabled, Duration stepTimeout) {
			this.diagnosis = new Diagnosis(enabled, stepTimeout);
			return this;
		}

		public Builder requestWhileDisconnected(WhileDisconnected requestWhileDisconnected) {
			this.requestWhileDisconnected = requestWhileDisconnected;
			return this;
		}

		public LinkSettings build() {
			return new LinkSettings(this.heartbeatInterval, this.heartbeatTimeout, this.requestTimeout,
					this.connectTimeout, this.maxFrameSize, this.duplicateCacheSize, this.duplicateCacheBytes,
					this.maxRequestsInFlight,
					new Reconnect(this.maxAttempts, this.initialBackoff, this.multiplier, this.maxBackoff, this.jitter,
							new AfterDisconnect(this.reestablish, this.reestablishInterval, this.reestablishMaxAttempts)),
					new Recovery(this.probeTimeout, this.waitTimeout, this.recoveryTimeout),
					new Quiesce(this.quiesceMaxQueued, this.quiesceMaxQueuedBytes, this.quiesceOwnRequests),
					this.diagnosis, this.requestWhileDisconnected);
		}

	}

}

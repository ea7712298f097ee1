package dev.dualsocket.link;

import static dev.dualsocket.DiagnosisStep.ALTERNATE_CONNECT;
import static dev.dualsocket.DiagnosisStep.LOCAL_INTERFACE;
import static dev.dualsocket.DiagnosisStep.OTHER_SOCKET_PROBE;
import static dev.dualsocket.DiagnosisStep.PEER_CONNECT;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.dualsocket.DiagnosisStep;
import dev.dualsocket.DiagnosisStep.Outcome;
import dev.dualsocket.EndpointRole;
import dev.dualsocket.FailureCause;
import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.DiagnosisStepEvent;
import dev.dualsocket.event.LinkDiagnosedEvent;
import dev.dualsocket.link.LinkStateMachine.Status;
import dev.dualsocket.transport.TransportResources;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Seed 003's diagnosis of a socket failure: a ladder of checks that finds out what failed (claims 48, 56 and 57 of
 * its source patent: try the peer's process, its operating system, the network interface, the peer through a second
 * path). It runs beside the recovery procedure of Figs. 5-8 and never delays it: nothing in it blocks a thread, it
 * only reads the link's sockets and publishes. The steps ({@link DiagnosisStep}) run one after another, each bounded
 * by its own timeout, so that a diagnosis takes at most {@code recovery.probe-timeout} plus three times
 * {@code diagnosis.step-timeout}:
 * <ol>
 * <li>the other socket's probe: a heartbeat that must be answered within the probe timeout;</li>
 * <li>a fresh TCP connection to the failed socket's peer address, closed as soon as it is made, with nothing sent on
 * it (a client only: a server knows no port of its client);</li>
 * <li>the state of the local interface of the failed socket's address, looked up on the interface monitor's
 * thread;</li>
 * <li>a fresh TCP connection to the client's next standby address, when the peer's address did not answer.</li>
 * </ol>
 * Each step is a {@link DiagnosisStepEvent}; the verdict ({@link FailureVerdict}, whose Javadoc gives the precedence)
 * a {@link LinkDiagnosedEvent} and one INFO line within the link's budget, and the link's state changes carry it from
 * then on until the link is {@code NORMAL} again. At most one diagnosis runs per link: a failure while one runs is not
 * diagnosed on its own (both sockets failing together is one fault). It stops when the link closes.
 */
final class DiagnosisLadder {

	private static final Log logger = LogFactory.getLog(DiagnosisLadder.class);

	/** Added to a step's own timeout before the ladder stops waiting for it, so the step's own timeout reports. */
	private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final Link link;

	private final LinkContext context;

	private final LinkStateMachine states;

	private final SocketPair sockets;

	private final AtomicReference<@Nullable Run> running = new AtomicReference<>();

	/** The diagnosis started last, running or not. */
	private volatile @Nullable Run latest;

	private volatile @Nullable SocketConnector connector;

	private volatile @Nullable FailureDiagnosis last;

	private volatile boolean stopped;

	DiagnosisLadder(Link link, LinkContext context, LinkStateMachine states, SocketPair sockets) {
		this.link = link;
		this.context = context;
		this.states = states;
		this.sockets = sockets;
	}

	/**
	 * Where a client's alternate address comes from.
	 * @param connector the client's connector
	 */
	void alternatesFrom(SocketConnector connector) {
		this.connector = connector;
	}

	/**
	 * The last diagnosis that reached its verdict.
	 * @return the diagnosis, or {@code null} if none did yet
	 */
	@Nullable FailureDiagnosis last() {
		return this.last;
	}

	/**
	 * A socket of the established link failed: starts a diagnosis unless one runs already. Returns at once.
	 * @param socket which socket
	 * @param channel its connection, closed, whose addresses are still known
	 * @param failure why it failed
	 * @param status the link's status when the socket was detached
	 */
	void socketFailed(SocketRole socket, Channel channel, SocketFailure failure, Status status) {
		if (!this.context.settings().diagnosis().enabled() || this.stopped || !status.isEstablished()) {
			return;
		}
		Run previous = this.latest;
		if (previous != null && previous.sawFailing(socket, this.sockets.socket(socket).connects())) {
			if (logger.isDebugEnabled()) {
				logger.debug(prefix() + socket.label() + " socket failed (" + failure + "); the diagnosis of the "
						+ previous.socket.label() + " socket's failure found it failing already");
			}
			return;
		}
		SocketConnector alternates = this.connector;
		Run run = new Run(socket, failure, inetAddressOf(channel.localAddress()), inetAddressOf(channel.remoteAddress()),
				(alternates != null) ? alternates.alternateAddress() : null,
				this.sockets.socket(socket.other()).connects(), this.context.now());
		if (!this.running.compareAndSet(null, run)) {
			if (logger.isDebugEnabled()) {
				logger.debug(prefix() + socket.label() + " socket failed (" + failure + ") while the diagnosis of an "
						+ "earlier failure runs; that one diagnoses both");
			}
			return;
		}
		this.latest = run;
		this.states.diagnosisStarted();
		climb(run);
	}

	/** The link is closing: the running diagnosis stops and publishes nothing more, none starts. */
	void stop() {
		this.stopped = true;
		Run run = this.running.get();
		if (run != null) {
			run.cancelled.complete(null);
		}
	}

	private void climb(Run run) {
		step(run, OTHER_SOCKET_PROBE, this.context.settings().recovery().probeTimeout(), Outcome.NOT_ANSWERED,
				() -> probeOtherSocket(run))
			.thenCompose((probe) -> step(run, PEER_CONNECT, stepTimeout(), Outcome.TIMED_OUT, () -> connectToPeer(run)))
			.thenCompose((peer) -> step(run, LOCAL_INTERFACE, stepTimeout(), Outcome.ERROR, () -> lookAtInterface(run)))
			.thenCompose((local) -> step(run, ALTERNATE_CONNECT, stepTimeout(), Outcome.TIMED_OUT,
					() -> connectToAlternate(run)))
			.whenComplete((done, failure) -> finish(run, failure));
	}

	/**
	 * Runs one step, unless the diagnosis was stopped, bounded by its timeout (plus a grace for its own timeout to
	 * report), and publishes its outcome.
	 * @param late what it came to if the ladder stopped waiting for it
	 */
	private CompletableFuture<FailureDiagnosis.Step> step(Run run, DiagnosisStep step, Duration timeout, Outcome late,
			Supplier<CompletableFuture<Seen>> check) {
		if (run.cancelled.isDone() || this.link.getState() == LinkState.CLOSED) {
			run.cancelled.complete(null);
			return CompletableFuture.failedFuture(new CancellationException("the link closed"));
		}
		long started = System.nanoTime();
		CompletableFuture<Seen> seen;
		try {
			seen = within(check.get(), timeout,
					new Seen(late, "no outcome within " + timeout.toMillis() + " ms"));
		}
		catch (RuntimeException ex) {
			seen = CompletableFuture.completedFuture(new Seen(Outcome.ERROR, String.valueOf(ex)));
		}
		return seen.handle((outcome, failure) -> {
			Seen result = (failure != null) ? new Seen(Outcome.ERROR, String.valueOf(unwrap(failure))) : outcome;
			FailureDiagnosis.Step done = new FailureDiagnosis.Step(step, result.outcome(), result.detail(),
					Duration.ofNanos(System.nanoTime() - started));
			run.record(done);
			if (!run.cancelled.isDone()) {
				this.link.publish(new DiagnosisStepEvent(this.context.endpointName(), this.link.getId(), run.socket, done,
						this.context.now()));
			}
			return done;
		});
	}

	/**
	 * A duration in milliseconds with one decimal, rounded half up: what {@code String.format("%.1f")} wrote, without
	 * the formatter, which this runs on the I/O thread that took the probe's answer, in the middle of a recovery.
	 */
	static String millisWithOneDecimal(long nanos) {
		long tenths = (Math.max(0, nanos) + 50_000) / 100_000;
		return (tenths / 10) + "." + (tenths % 10);
	}

	/** Step 1: can the peer still answer on the other socket? */
	private CompletableFuture<Seen> probeOtherSocket(Run run) {
		SocketRole other = run.socket.other();
		LinkSocket socket = this.sockets.socket(other);
		if (!socket.isUp()) {
			return seen(Outcome.NOT_POSSIBLE, "the " + other.label() + " socket is down too");
		}
		Duration timeout = this.context.settings().recovery().probeTimeout();
		return socket.roundTrip(timeout).handle((roundTrip, failure) -> {
			if (failure == null) {
				return new Seen(Outcome.ANSWERED, "the " + other.label() + " socket answered in "
						+ millisWithOneDecimal(roundTrip.toNanos()) + " ms");
			}
			if (unwrap(failure) instanceof TimeoutException) {
				return new Seen(Outcome.NOT_ANSWERED,
						"the " + other.label() + " socket got no answer within " + timeout.toMillis() + " ms");
			}
			return new Seen(Outcome.NOT_POSSIBLE, "the " + other.label() + " socket closed during the probe");
		});
	}

	/** Step 2: are the peer's host and its TCP stack up, and does anything listen on the port? */
	private CompletableFuture<Seen> connectToPeer(Run run) {
		if (this.context.role() == EndpointRole.SERVER) {
			return seen(Outcome.SKIPPED, "a server knows no port of its client to connect to");
		}
		if (run.outcome(OTHER_SOCKET_PROBE) == Outcome.ANSWERED) {
			return seen(Outcome.SKIPPED, "the peer answered on the other socket");
		}
		InetSocketAddress peer = run.remote;
		if (peer == null) {
			return seen(Outcome.SKIPPED, "the failed socket's peer address is not known");
		}
		return connect(run, peer);
	}

	/** Step 3: is this host's interface that carried the socket up? */
	private CompletableFuture<Seen> lookAtInterface(Run run) {
		InetSocketAddress local = run.local;
		if (local == null) {
			return seen(Outcome.SKIPPED, "the failed socket's local address is not known");
		}
		String address = local.getAddress().getHostAddress();
		return this.context.transport()
			.interfaceMonitor()
			.check(local.getAddress())
			.thenApply((down) -> (down != null) ? new Seen(Outcome.DOWN, down)
					: new Seen(Outcome.UP, "the interface of " + address + " is up"));
	}

	/** Step 4: when the peer's address did not answer, does the alternate one? */
	private CompletableFuture<Seen> connectToAlternate(Run run) {
		Outcome peer = run.outcome(PEER_CONNECT);
		if (peer != Outcome.TIMED_OUT && peer != Outcome.UNREACHABLE) {
			return seen(Outcome.SKIPPED, "only tried when the peer's address does not answer");
		}
		if (run.outcome(LOCAL_INTERFACE) == Outcome.DOWN) {
			return seen(Outcome.SKIPPED, "this host's interface is down");
		}
		InetSocketAddress alternate = run.alternate;
		if (alternate == null) {
			return seen(Outcome.SKIPPED, "no standby address");
		}
		return connect(run, alternate);
	}

	/**
	 * Opens a TCP connection on the endpoint's event loops, without blocking, and closes it as soon as it is made:
	 * nothing is sent, so the peer sees a connection that ends before its handshake, which it closes quietly.
	 */
	private CompletableFuture<Seen> connect(Run run, InetSocketAddress address) {
		TransportResources transport = this.context.transport();
		int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, stepTimeout().toMillis());
		ChannelFuture connecting = new Bootstrap().group(transport.eventLoopGroup())
			.channel(transport.socketChannelType())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
			.handler(new ChannelInboundHandlerAdapter())
			.connect(address);
		run.cancelled.thenRun(() -> connecting.channel().close());
		CompletableFuture<Seen> seen = new CompletableFuture<>();
		connecting.addListener((ChannelFuture connected) -> {
			if (connected.isSuccess()) {
				connected.channel().close();
				seen.complete(new Seen(Outcome.CONNECTED, text(address) + " accepted a connection"));
			}
			else {
				seen.complete(connectFailure(address, connected.cause(), timeoutMillis));
			}
		});
		// Whatever the outcome, the test connection does not outlive the step.
		seen.whenComplete((outcome, failure) -> connecting.channel().close());
		return seen;
	}

	private static Seen connectFailure(InetSocketAddress address, Throwable cause, int timeoutMillis) {
		String message = String.valueOf(cause.getMessage());
		String lower = message.toLowerCase(Locale.ROOT);
		if (cause instanceof ConnectTimeoutException) {
			return new Seen(Outcome.TIMED_OUT, text(address) + " did not answer within " + timeoutMillis + " ms");
		}
		if (cause instanceof NoRouteToHostException || lower.contains("no route to host")
				|| lower.contains("unreachable")) {
			return new Seen(Outcome.UNREACHABLE, text(address) + ": " + message);
		}
		if (cause instanceof ConnectException && lower.contains("refused")) {
			return new Seen(Outcome.REFUSED, text(address) + " refused the connection");
		}
		return new Seen(Outcome.ERROR, text(address) + ": " + cause);
	}

	private void finish(Run run, @Nullable Throwable failure) {
		try {
			if (run.cancelled.isDone() || this.link.getState() == LinkState.CLOSED) {
				return;
			}
			if (failure != null && !(unwrap(failure) instanceof CancellationException)) {
				logger.warn(prefix() + "the diagnosis of the " + run.socket.label() + " socket's failure ended with an "
						+ "unexpected error; the steps so far decide", failure);
			}
			List<FailureDiagnosis.Step> steps = run.steps();
			FailureVerdict verdict = verdictOf(run.failure, steps);
			FailureDiagnosis diagnosis = new FailureDiagnosis(run.socket, run.failure, verdict, steps, run.startedAt,
					Duration.between(run.startedAt, this.context.now()));
			this.last = diagnosis;
			this.states.diagnosed(verdict, new LinkDiagnosedEvent(this.context.endpointName(), this.link.getId(),
					diagnosis, diagnosis.finishedAt()));
			this.link.logInfo(logger, () -> prefix() + run.socket.label() + " socket failure (" + run.failure
					+ ") diagnosed as " + verdict + " in " + diagnosis.duration().toMillis() + " ms: "
					+ steps.stream().map(FailureDiagnosis.Step::toString).collect(Collectors.joining("; ")));
		}
		finally {
			// Only now may the next failure start a diagnosis, so a verdict never lands in a later one's stay.
			this.running.compareAndSet(run, null);
		}
	}

	/**
	 * The verdict that the steps' outcomes point to, in the precedence that {@link FailureVerdict} documents.
	 * @param failure why the socket failed
	 * @param steps the outcomes of the steps that ran
	 * @return the verdict
	 */
	static FailureVerdict verdictOf(SocketFailure failure, List<FailureDiagnosis.Step> steps) {
		Map<DiagnosisStep, Outcome> outcomes = new EnumMap<>(DiagnosisStep.class);
		steps.forEach((step) -> outcomes.put(step.step(), step.outcome()));
		Outcome probe = outcomes.getOrDefault(OTHER_SOCKET_PROBE, Outcome.SKIPPED);
		Outcome peer = outcomes.getOrDefault(PEER_CONNECT, Outcome.SKIPPED);
		if (outcomes.get(LOCAL_INTERFACE) == Outcome.DOWN || failure.cause() == FailureCause.INTERFACE_DOWN) {
			return FailureVerdict.LOCAL_INTERFACE_DOWN;
		}
		if (probe == Outcome.ANSWERED) {
			return FailureVerdict.SOCKET_ONLY;
		}
		if (peer == Outcome.REFUSED) {
			return FailureVerdict.PEER_PROCESS_DOWN;
		}
		if (peer == Outcome.CONNECTED) {
			boolean unanswered = probe == Outcome.NOT_ANSWERED || failure.cause() == FailureCause.HEARTBEAT_TIMEOUT
					|| failure.cause() == FailureCause.SILENCE;
			return unanswered ? FailureVerdict.PEER_PROCESS_STUCK : FailureVerdict.INCONCLUSIVE;
		}
		if (peer == Outcome.TIMED_OUT || peer == Outcome.UNREACHABLE) {
			return (outcomes.get(ALTERNATE_CONNECT) == Outcome.CONNECTED) ? FailureVerdict.PATH_DOWN_ALTERNATE_OK
					: FailureVerdict.PEER_HOST_UNREACHABLE;
		}
		return FailureVerdict.INCONCLUSIVE;
	}

	/**
	 * Bounds a step on the transport's timer: past the timeout plus a grace it counts as {@code late}.
	 */
	private CompletableFuture<Seen> within(CompletableFuture<Seen> check, Duration timeout, Seen late) {
		if (check.isDone()) {
			return check;
		}
		CompletableFuture<Seen> bounded = new CompletableFuture<>();
		io.netty.util.Timeout expiry = this.context.transport()
			.timer()
			.newTimeout((expired) -> bounded.complete(late), timeout.toNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
		check.whenComplete((seen, failure) -> {
			expiry.cancel();
			if (failure != null) {
				bounded.completeExceptionally(failure);
			}
			else {
				bounded.complete(seen);
			}
		});
		return bounded;
	}

	private Duration stepTimeout() {
		return this.context.settings().diagnosis().stepTimeout();
	}

	private String prefix() {
		return this.context.logPrefix(this.link.getId());
	}

	private static CompletableFuture<Seen> seen(Outcome outcome, String detail) {
		return CompletableFuture.completedFuture(new Seen(outcome, detail));
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private static @Nullable InetSocketAddress inetAddressOf(@Nullable SocketAddress address) {
		return (address instanceof InetSocketAddress inet && !inet.isUnresolved()) ? inet : null;
	}

	private static String text(InetSocketAddress address) {
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
	}

	/** What a step saw. */
	private record Seen(Outcome outcome, String detail) {
	}

	/** One diagnosis: the failure it is about, what is known of the socket, and the steps so far. */
	private static final class Run {

		private final SocketRole socket;

		private final SocketFailure failure;

		private final @Nullable InetSocketAddress local;

		private final @Nullable InetSocketAddress remote;

		private final @Nullable InetSocketAddress alternate;

		private final Instant startedAt;

		/** The other socket's count of connections when the diagnosis started: which connection its probe tried. */
		private final int otherConnects;

		/** Completes when the diagnosis is stopped: its test connections close, its next step does not run. */
		private final CompletableFuture<@Nullable Void> cancelled = new CompletableFuture<>();

		private final List<FailureDiagnosis.Step> steps = new ArrayList<>(4);

		Run(SocketRole socket, SocketFailure failure, @Nullable InetSocketAddress local,
				@Nullable InetSocketAddress remote, @Nullable InetSocketAddress alternate, int otherConnects,
				Instant startedAt) {
			this.socket = socket;
			this.failure = failure;
			this.local = local;
			this.remote = remote;
			this.alternate = alternate;
			this.otherConnects = otherConnects;
			this.startedAt = startedAt;
		}

		/**
		 * Whether this diagnosis's probe found the given socket's present connection down or unanswering: its
		 * failure is part of the fault diagnosed, not a new one (both sockets of a link fail together when the
		 * peer or the path does).
		 */
		boolean sawFailing(SocketRole failed, int connects) {
			Outcome probe = outcome(OTHER_SOCKET_PROBE);
			return failed == this.socket.other() && connects == this.otherConnects
					&& (probe == Outcome.NOT_POSSIBLE || probe == Outcome.NOT_ANSWERED);
		}

		synchronized void record(FailureDiagnosis.Step step) {
			this.steps.add(step);
		}

		synchronized List<FailureDiagnosis.Step> steps() {
			return List.copyOf(this.steps);
		}

		synchronized @Nullable Outcome outcome(DiagnosisStep step) {
			for (FailureDiagnosis.Step done : this.steps) {
				if (done.step() == step) {
					return done.outcome();
				}
			}
			return null;
		}

	}

}

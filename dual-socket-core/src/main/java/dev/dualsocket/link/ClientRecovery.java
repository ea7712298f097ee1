package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CONNECTING;
import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static dev.dualsocket.RecoveryProcedure.CLIENT_INBOUND;
import static dev.dualsocket.RecoveryProcedure.CLIENT_OUTBOUND;
import static dev.dualsocket.RecoveryProcedure.LINK_ESTABLISHMENT;
import static dev.dualsocket.SocketRole.INBOUND;
import static dev.dualsocket.SocketRole.OUTBOUND;
import static dev.dualsocket.link.StateChange.because;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.link.ReconnectPolicy.SocketReconnect;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of a link (Host A of the source patent): establishes the link, runs the recovery procedures of
 * Fig. 5 (inbound socket failed) and Fig. 6 (outbound socket failed), and re-establishes the link after it went
 * disconnected. The client is the one that re-connects; the procedures block on a recovery thread, one at a time
 * per link.
 */
final class ClientRecovery implements Recovery {

	private static final Log logger = LogFactory.getLog(ClientRecovery.class);

	private static final String ESTABLISHMENT = "establishment";

	private final Link link;

	private final SocketConnector connector;

	private final LinkSettings settings;

	private final ReconnectPolicy policy;

	private final ProcedureSequencer sequencer;

	private volatile @Nullable Thread procedureThread;

	private volatile boolean reestablishAtOnce;

	/** Numbers the series of establishment attempts, so that only the newest series goes on. */
	private final AtomicLong establishments = new AtomicLong();

	ClientRecovery(Link link, SocketConnector connector) {
		this.link = link;
		this.connector = connector;
		this.settings = link.context().settings();
		this.policy = new ReconnectPolicy(link, this.settings.reconnect());
		this.sequencer = new ProcedureSequencer(link.context().transport().timer(), this.settings.recovery().timeout(),
				this::overrun);
	}

	@Override
	public void start() {
		submitEstablishment(Duration.ZERO);
	}

	@Override
	public void socketFailed(SocketRole socket, SocketFailure failure, long session) {
		LinkState state = this.link.getState();
		// While CONNECTING the running establishment attempt sees the socket down and tries again; a link that is
		// DISCONNECTED or CLOSED has nothing left to recover.
		if (state == NORMAL || state == RECOVERING) {
			Procedure procedure = (socket == INBOUND) ? () -> recoverInbound(failure, session)
					: () -> recoverOutbound(failure, session);
			if (!this.sequencer.submit(socket.name(), blocking(procedure), true)) {
				logger.info(prefix() + socket.label() + " socket failed while another procedure runs; it waits for that "
						+ "one to finish, at most " + this.settings.recovery().timeout().toMillis() + " ms");
			}
		}
	}

	/**
	 * Fig. 5: the client's inbound ("server-initiated receive") socket failed.
	 */
	private void recoverInbound(SocketFailure failure, long session) throws InterruptedException {
		if (this.link.isUp(INBOUND)) {
			return; // re-connected since the failure was reported
		}
		// Blocks 510-515: a problem was detected while listening; attempting to recover.
		if (!this.link.transition(session, NORMAL, RECOVERING, because("inbound socket failed: " + failure).on(INBOUND)
			.in(CLIENT_INBOUND)
			.then("probe the outbound socket"))) {
			return;
		}
		// Block 520: can the host still communicate on the outbound ("send") socket?
		if (!probe(OUTBOUND)) {
			this.link.closeSocket(session, OUTBOUND); // block 525
			this.link.disconnect(session, because("the outbound socket did not answer the probe").on(OUTBOUND) // block 530
				.in(CLIENT_INBOUND)
				.then(planAfterDisconnect()));
			return;
		}
		// Block 532: close the inbound socket, then re-connect it.
		this.link.closeSocket(session, INBOUND);
		SocketReconnect reconnect = this.policy.reconnectSocket(CLIENT_INBOUND, INBOUND,
				() -> this.connector.connect(this.link, INBOUND));
		if (reconnect == SocketReconnect.CONNECTED) {
			// Blocks 540, 535: re-connected; normal operation resumes.
			this.link.transition(session, RECOVERING, NORMAL,
					because("inbound socket re-connected").on(INBOUND).in(CLIENT_INBOUND));
		}
		else {
			this.link.closeSocket(session, OUTBOUND); // block 525
			this.link.disconnect(session, because(notReconnected(INBOUND, reconnect)) // block 530
				.on(INBOUND)
				.in(CLIENT_INBOUND)
				.then(planAfterDisconnect()));
		}
	}

	/**
	 * Fig. 6: the client's outbound ("client-initiated send") socket failed.
	 */
	private void recoverOutbound(SocketFailure failure, long session) throws InterruptedException {
		// Blocks 610-620: if another procedure was running, the sequencer made this one wait until it finished.
		if (this.link.isUp(OUTBOUND)) {
			return;
		}
		// Block 625: attempting to recover (only from NORMAL; a procedure that ended DISCONNECTED leaves nothing).
		if (!this.link.transition(session, NORMAL, RECOVERING, because("outbound socket failed: " + failure).on(OUTBOUND)
			.in(CLIENT_OUTBOUND)
			.then("re-connect the outbound socket"))) {
			return;
		}
		// Blocks 635-640: re-connect the outbound socket.
		SocketReconnect reconnect = this.policy.reconnectSocket(CLIENT_OUTBOUND, OUTBOUND,
				() -> this.connector.connect(this.link, OUTBOUND));
		if (reconnect == SocketReconnect.CONNECTED) {
			this.link.transition(session, RECOVERING, NORMAL, // block 655
					because("outbound socket re-connected").on(OUTBOUND).in(CLIENT_OUTBOUND));
		}
		else {
			this.link.closeSocket(session, INBOUND); // block 645
			this.link.disconnect(session, because(notReconnected(OUTBOUND, reconnect)) // block 650
				.on(OUTBOUND)
				.in(CLIENT_OUTBOUND)
				.then(planAfterDisconnect()));
		}
	}

	private String notReconnected(SocketRole socket, SocketReconnect reconnect) {
		if (reconnect == SocketReconnect.SESSION_ENDED) {
			return "the server no longer holds the session the " + socket.label() + " socket re-joins (it restarted, "
					+ "or the session was ended); the requests in flight fail, as they may have run";
		}
		return "the " + socket.label() + " socket could not be re-connected in " + this.policy.socketAttempts()
				+ " attempts";
	}

	private boolean probe(SocketRole socket) throws InterruptedException {
		try {
			return this.link.probe(socket, this.settings.recovery().probeTimeout()).get();
		}
		catch (ExecutionException ex) {
			return false;
		}
	}

	/**
	 * Establishes the whole link: both sockets, in a new session, under the after-disconnect policy. Each attempt is a
	 * procedure of its own; the wait before the next one is a timer, not a sleeping thread.
	 */
	private void establish(long chain, int attempt, Duration delay) throws InterruptedException {
		if (chain != this.establishments.get()) {
			return; // a newer establishment took over
		}
		long session = this.link.sessionId();
		if (!this.link.transition(session, DISCONNECTED, CONNECTING,
				because("re-establishing the link").in(LINK_ESTABLISHMENT).then("connect both sockets"))
				&& this.link.getState() != CONNECTING) {
			return;
		}
		try {
			attemptEstablishment();
			this.policy.reportAttempt(LINK_ESTABLISHMENT, null, attempt, delay, null);
		}
		catch (InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			this.policy.reportAttempt(LINK_ESTABLISHMENT, null, attempt, delay, ex);
			if (!ReconnectPolicy.worthReestablishing(ex) || this.link.getState() != CONNECTING) {
				return;
			}
			if (this.policy.allowsEstablishmentAttempt(attempt)) {
				scheduleEstablishment(chain, attempt + 1, this.policy.establishmentInterval());
			}
			else {
				this.link.disconnect(this.link.sessionId(), because("gave up establishing the link after " + attempt
						+ " attempts").in(LINK_ESTABLISHMENT).then("stay disconnected until a reconnect is requested"));
			}
		}
	}

	private void attemptEstablishment() throws Exception {
		this.link.closeSocket(this.link.sessionId(), OUTBOUND);
		this.link.closeSocket(this.link.sessionId(), INBOUND);
		this.link.beginSession(newSessionId());
		try {
			this.connector.connect(this.link, OUTBOUND);
			this.connector.connect(this.link, INBOUND);
			if (!this.link.completeEstablishment(because("both sockets connected").in(LINK_ESTABLISHMENT))
					&& this.link.getState() == CONNECTING) {
				throw new IOException("a socket closed before the link was established");
			}
		}
		catch (Exception ex) {
			// Seed 004: with standby addresses, the next attempt goes to the next address.
			this.connector.moveToNextAddress();
			throw ex;
		}
	}

	private static long newSessionId() {
		long id;
		do {
			id = ThreadLocalRandom.current().nextLong();
		}
		while (id == 0);
		return id;
	}

	/** Starts a new series of establishment attempts; any earlier series stops. */
	private void submitEstablishment(Duration delay) {
		scheduleEstablishment(this.establishments.incrementAndGet(), 1, delay);
	}

	private void scheduleEstablishment(long chain, int attempt, Duration delay) {
		Runnable submit = () -> this.sequencer.submit(ESTABLISHMENT, blocking(() -> establish(chain, attempt, delay)),
				false);
		if (delay.isZero()) {
			submit.run();
		}
		else {
			this.link.context()
				.transport()
				.timer()
				.newTimeout((timeout) -> submit.run(), delay.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void socketAttached(SocketRole socket) {
		// The procedure that connected the socket decides the state.
	}

	@Override
	public void disconnected(StateChange change) {
		boolean atOnce = this.reestablishAtOnce;
		this.reestablishAtOnce = false;
		if (change.procedure() == LINK_ESTABLISHMENT) {
			return; // the establishment itself gave up
		}
		LinkSettings.AfterDisconnect after = this.settings.reconnect().afterDisconnect();
		if (atOnce) {
			submitEstablishment(Duration.ZERO);
		}
		else if (after.enabled() && this.connector.hasStandby()) {
			// Seed 004: the peer is lost or went away; go to the next address at once rather than wait.
			this.connector.moveToNextAddress();
			submitEstablishment(Duration.ZERO);
		}
		else if (after.enabled()) {
			submitEstablishment(after.interval());
		}
	}

	@Override
	public void reconnect(String cause) {
		this.reestablishAtOnce = true;
		Thread running = this.procedureThread;
		this.link.disconnect(this.link.sessionId(), because(cause).then("re-establish the link at once"));
		if (running != null) {
			// A procedure still trying to repair the old link is pointless now; the establishment waits for it.
			running.interrupt();
		}
		if (this.link.getState() == DISCONNECTED && this.reestablishAtOnce) {
			// The link was already disconnected, so no disconnect happened to start the establishment.
			this.reestablishAtOnce = false;
			submitEstablishment(Duration.ZERO);
		}
	}

	@Override
	public String planAfterPeerClosed() {
		return planAfterDisconnect();
	}

	private String planAfterDisconnect() {
		LinkSettings.AfterDisconnect after = this.settings.reconnect().afterDisconnect();
		if (!after.enabled()) {
			return "stay disconnected (after-disconnect re-establishment is off)";
		}
		return this.connector.hasStandby() ? "re-establish the link at the next address now"
				: "re-establish the link in " + after.interval().toMillis() + " ms";
	}

	@Override
	public void stop() {
		this.sequencer.stop();
		Thread running = this.procedureThread;
		if (running != null) {
			running.interrupt();
		}
	}

	private void overrun() {
		Thread running = this.procedureThread;
		this.link.disconnect(this.link.sessionId(), because("a recovery procedure did not finish within recovery.timeout ("
				+ this.settings.recovery().timeout().toMillis() + " ms)")
			.then(planAfterDisconnect()));
		if (running != null) {
			running.interrupt();
		}
	}

	/** Runs a blocking procedure on a recovery thread, where it can be interrupted. */
	private ProcedureSequencer.Procedure blocking(Procedure procedure) {
		return () -> CompletableFuture.runAsync(() -> {
			this.procedureThread = Thread.currentThread();
			try {
				procedure.run();
			}
			catch (InterruptedException ex) {
				logger.debug(prefix() + "procedure interrupted");
			}
			finally {
				this.procedureThread = null;
				Thread.interrupted();
			}
		}, this.link.context().transport().recoveryExecutor());
	}

	private String prefix() {
		return "Endpoint '" + this.link.getEndpointName() + "', link '" + this.link.getId() + "': ";
	}

	@FunctionalInterface
	private interface Procedure {

		void run() throws InterruptedException;

	}

}

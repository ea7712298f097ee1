package dev.dualsocket.link;

import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static dev.dualsocket.RecoveryProcedure.CLIENT_INBOUND;
import static dev.dualsocket.RecoveryProcedure.CLIENT_OUTBOUND;
import static dev.dualsocket.SocketRole.INBOUND;
import static dev.dualsocket.SocketRole.OUTBOUND;
import static dev.dualsocket.link.StateChange.because;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.link.ReconnectPolicy.SocketReconnect;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The client's side of a link (Host A of the source patent): the recovery procedures of Fig. 5 (inbound socket
 * failed) and Fig. 6 (outbound socket failed). The client is the one that re-connects; the procedures block on a
 * recovery thread, one at a time per link, and every wait in them (the probe, the back-off, the connect) ends early
 * when their run is cancelled. Establishing the whole link, and doing so again after it went disconnected, is
 * {@link ClientEstablishment}'s.
 */
final class ClientRecovery implements Recovery {

	private static final Log logger = LogFactory.getLog(ClientRecovery.class);

	private final Link link;

	private final SocketConnector connector;

	private final LinkSettings settings;

	private final ReconnectPolicy policy;

	private final ProcedureSequencer sequencer;

	private final ClientEstablishment establishment;

	ClientRecovery(Link link, SocketConnector connector) {
		this.link = link;
		this.connector = connector;
		this.settings = link.context().settings();
		this.policy = new ReconnectPolicy(link, this.settings.reconnect());
		this.sequencer = new ProcedureSequencer(this::endedUnexpectedly);
		this.establishment = new ClientEstablishment(link, connector, this.policy, this.sequencer);
	}

	@Override
	public void start() {
		this.establishment.begin(Duration.ZERO);
	}

	@Override
	public void socketFailed(SocketRole socket, SocketFailure failure, long session) {
		LinkState state = this.link.getState();
		// While CONNECTING the running establishment attempt sees the socket down and tries again; a link that is
		// DISCONNECTED or CLOSED has nothing left to recover.
		if (state.isUp() || state == RECOVERING) {
			ProcedureSequencer.Procedure procedure = (socket == INBOUND) ? (run) -> {
				// Block 520's heartbeat goes out as the procedure starts, from the thread that starts it (the I/O thread
				// that saw the failure, as a rule), instead of after the hand-off to a recovery thread and the move to
				// RECOVERING there: the procedure takes its answer in the same place as before.
				CompletableFuture<Boolean> probe = this.link.probe(OUTBOUND, this.settings.recovery().probeTimeout());
				return onRecoveryThread((started) -> recoverInbound(started, failure, session, probe)).start(run);
			} : onRecoveryThread((run) -> recoverOutbound(run, failure, session));
			if (!this.sequencer.submit(socket.name(), session, procedure)) {
				logger.info(prefix() + socket.label() + " socket failed while another procedure runs; it waits for that "
						+ "one to finish, at most " + this.settings.recovery().timeout().toMillis() + " ms");
			}
		}
	}

	/**
	 * Fig. 5: the client's inbound ("server-initiated receive") socket failed.
	 */
	private void recoverInbound(ProcedureRun run, SocketFailure failure, long session,
			CompletableFuture<Boolean> outboundProbe) {
		if (this.link.isUp(INBOUND)) {
			return; // re-connected since the failure was reported
		}
		// Blocks 510-515: a problem was detected while listening; attempting to recover.
		if (!this.link.transition(session, NORMAL, RECOVERING, because("inbound socket failed: " + failure).on(INBOUND)
			.in(CLIENT_INBOUND)
			.then("probe the outbound socket"))) {
			return;
		}
		// Block 520: can the host still communicate on the outbound ("send") socket? (Its heartbeat went out when the
		// procedure started; see socketFailed.)
		if (!answered(run, outboundProbe)) {
			this.link.closeSocket(session, OUTBOUND); // block 525
			this.link.disconnect(session, because("the outbound socket did not answer the probe").on(OUTBOUND) // block 530
				.in(CLIENT_INBOUND)
				.then(planAfterDisconnect()));
			return;
		}
		// Block 532: close the inbound socket, then re-connect it.
		this.link.closeSocket(session, INBOUND);
		SocketReconnect reconnect = this.policy.reconnectSocket(run, CLIENT_INBOUND, INBOUND,
				() -> this.connector.connect(this.link, INBOUND, run.cancelled()));
		if (reconnect == SocketReconnect.CONNECTED) {
			// Blocks 540, 535: re-connected; normal operation resumes. Normally socketAttached has made this move
			// already, on the I/O thread that attached the socket; then this finds the link NORMAL and does nothing.
			this.link.transition(session, RECOVERING, NORMAL, reconnected(INBOUND));
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
	private void recoverOutbound(ProcedureRun run, SocketFailure failure, long session) {
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
		SocketReconnect reconnect = this.policy.reconnectSocket(run, CLIENT_OUTBOUND, OUTBOUND,
				() -> this.connector.connect(this.link, OUTBOUND, run.cancelled()));
		if (reconnect == SocketReconnect.CONNECTED) {
			// Block 655, unless socketAttached made the move already (see recoverInbound).
			this.link.transition(session, RECOVERING, NORMAL, reconnected(OUTBOUND));
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

	private boolean answered(ProcedureRun run, CompletableFuture<Boolean> probe) {
		try {
			return run.await(probe);
		}
		catch (ExecutionException ex) {
			return false;
		}
	}

	/**
	 * A step of Fig. 5 or 6 threw what no step expects (a bug, a broken connector): the procedure cannot say how far
	 * it got, so the link is given up with that cause and re-established as after any disconnect.
	 */
	private void endedUnexpectedly(ProcedureRun run, Throwable failure) {
		if (ClientEstablishment.PURPOSE.equals(run.purpose())) {
			// The establishment counts whatever its attempts throw as failed attempts; this is its own bug.
			logger.warn(prefix() + "an establishment attempt ended with an unexpected error", failure);
			return;
		}
		RecoveryProcedure procedure = SocketRole.valueOf(run.purpose()) == INBOUND ? CLIENT_INBOUND : CLIENT_OUTBOUND;
		logger.warn(prefix() + "the " + procedure.figure() + " procedure ended with an unexpected error", failure);
		this.link.disconnect(run.session(), because("the " + procedure.figure() + " procedure failed unexpectedly: "
				+ failure).in(procedure).then(planAfterDisconnect()));
	}

	/**
	 * The last step of Figs. 5 and 6 (blocks 540-535 and 655), taken as soon as the running procedure's re-connect has
	 * attached its socket: on the I/O thread that attached it, in the handshake's answer, rather than once the
	 * procedure's thread has woken up from its wait for the connect, which on a busy host is a scheduling delay of its
	 * own before the link reads NORMAL again. The move is the one the procedure makes next (it still tries it, and
	 * finds it made): only the running procedure's own socket, only in its session, only from RECOVERING, only while
	 * the run is not cancelled. A socket attached while the link is being established is the establishment's.
	 */
	@Override
	public void socketAttached(SocketRole socket) {
		ProcedureRun run = this.sequencer.running();
		if (run != null && !run.isCancelled() && socket.name().equals(run.purpose())) {
			this.link.transition(run.session(), RECOVERING, NORMAL, reconnected(socket));
		}
	}

	private static StateChange reconnected(SocketRole socket) {
		return because(socket.label() + " socket re-connected").on(socket)
			.in((socket == INBOUND) ? CLIENT_INBOUND : CLIENT_OUTBOUND);
	}

	@Override
	public void disconnected(StateChange change) {
		// Whatever was running tried to repair or establish the link just given up: nothing is left for it to do.
		this.sequencer.cancelRunning("the link went disconnected: " + change.cause());
		this.establishment.afterDisconnect(change);
	}

	@Override
	public void reconnect(String cause) {
		this.establishment.reconnect(cause);
	}

	@Override
	public String planAfterPeerClosed() {
		return this.establishment.plan(true);
	}

	@Override
	public String planAfterDisconnect() {
		return this.establishment.plan(false);
	}

	@Override
	public void stop() {
		this.sequencer.stop();
	}

	/** Runs a blocking procedure on a recovery thread; cancelling its run ends its waits, no thread is interrupted. */
	private ProcedureSequencer.Procedure onRecoveryThread(Steps procedure) {
		return (run) -> CompletableFuture.runAsync(() -> procedure.run(run),
				this.link.context().transport().recoveryExecutor());
	}

	private String prefix() {
		return this.link.context().logPrefix(this.link.getId());
	}

	@FunctionalInterface
	private interface Steps {

		void run(ProcedureRun run);

	}

}

package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CLOSED;
import static dev.dualsocket.LinkState.CONNECTING;
import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.LinkState.NORMAL;
import static dev.dualsocket.LinkState.RECOVERING;
import static dev.dualsocket.RecoveryProcedure.LINK_ESTABLISHMENT;
import static dev.dualsocket.RecoveryProcedure.SERVER_INBOUND;
import static dev.dualsocket.RecoveryProcedure.SERVER_OUTBOUND;
import static dev.dualsocket.SocketRole.INBOUND;
import static dev.dualsocket.SocketRole.OUTBOUND;
import static dev.dualsocket.link.StateChange.because;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The server's side of a link (Host B of the source patent): pairs a client's two sockets into a link, runs the
 * recovery procedures of Fig. 7 (inbound socket failed) and Fig. 8 (outbound socket failed), and forgets a link that
 * stays disconnected. The server never dials out; it waits, bounded by {@code recovery.wait-timeout}, for the client
 * to re-connect. The procedures hold no thread while they wait.
 */
final class ServerRecovery implements Recovery {

	private static final Log logger = LogFactory.getLog(ServerRecovery.class);

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final Link link;

	private final Runnable forget;

	private final LinkSettings.Recovery settings;

	private final ProcedureSequencer sequencer;

	ServerRecovery(Link link, Runnable forget) {
		this.link = link;
		this.forget = forget;
		this.settings = link.context().settings().recovery();
		this.sequencer = new ProcedureSequencer(this::endedUnexpectedly);
	}

	@Override
	public void start() {
		Object connecting = this.link.statusToken();
		long session = this.link.sessionId();
		after(this.settings.waitTimeout(), () -> {
			if (this.link.statusIs(connecting)) {
				this.link.disconnect(session, because("the client did not connect both sockets within wait-timeout ("
						+ this.settings.waitTimeout().toMillis() + " ms)").then(planAfterDisconnect()));
			}
		});
	}

	@Override
	public void socketFailed(SocketRole socket, SocketFailure failure, long session) {
		LinkState state = this.link.getState();
		if (state == CONNECTING) {
			this.link.disconnect(session, because(socket.label() + " socket failed before the link was established: " + failure)
				.on(socket)
				.then(planAfterDisconnect()));
		}
		else if (state.isUp() || state == RECOVERING) {
			ProcedureSequencer.Procedure procedure = (socket == INBOUND) ? (run) -> recoverInbound(failure, session)
					: (run) -> recoverOutbound(failure, session);
			if (!this.sequencer.submit(socket.name(), session, procedure)) {
				this.link.logInfo(logger, () -> prefix() + socket.label() + " socket failed while another procedure "
						+ "runs; it waits for that one to finish, at most " + this.settings.timeout().toMillis() + " ms");
			}
		}
	}

	/**
	 * Fig. 7: the server's inbound socket failed.
	 */
	private CompletableFuture<Void> recoverInbound(SocketFailure failure, long session) {
		if (this.link.isUp(INBOUND)) {
			return DONE; // the client re-connected it already
		}
		// Blocks 710-715: a problem was detected while listening; attempting to recover.
		if (!this.link.transition(session, NORMAL, RECOVERING, because("inbound socket failed: " + failure).on(INBOUND)
			.in(SERVER_INBOUND)
			.then("probe the outbound socket"))) {
			return DONE;
		}
		// Block 720: can the host still communicate on the outbound socket?
		return this.link.probe(OUTBOUND, this.settings.probeTimeout()).thenCompose((answered) -> {
			if (!answered) {
				this.link.closeSocket(session, OUTBOUND); // block 725
				this.link.disconnect(session, because("the outbound socket did not answer the probe").on(OUTBOUND) // block 730
					.in(SERVER_INBOUND)
					.then(planAfterDisconnect()));
				return DONE;
			}
			// Block 745: wait for the client to re-connect the inbound socket.
			return this.link.awaitAttached(INBOUND, this.settings.waitTimeout()).thenAccept((reattached) -> {
				if (reattached) {
					this.link.transition(session, RECOVERING, NORMAL, // block 735
							because("the client re-connected the inbound socket").on(INBOUND).in(SERVER_INBOUND));
				}
				else {
					this.link.closeSocket(session, OUTBOUND); // block 725
					this.link.disconnect(session, because("the client did not re-connect the inbound socket within wait-timeout ("
							+ this.settings.waitTimeout().toMillis() + " ms)") // block 730
						.on(INBOUND)
						.in(SERVER_INBOUND)
						.then(planAfterDisconnect()));
				}
			});
		});
	}

	/**
	 * Fig. 8: the server's outbound socket failed.
	 */
	private CompletableFuture<Void> recoverOutbound(SocketFailure failure, long session) {
		// Blocks 810-820: if another procedure was running, the sequencer made this one wait until it finished.
		if (this.link.isUp(OUTBOUND)) {
			return DONE;
		}
		// Block 825: attempting to recover.
		if (!this.link.transition(session, NORMAL, RECOVERING, because("outbound socket failed: " + failure).on(OUTBOUND)
			.in(SERVER_OUTBOUND)
			.then("wait for the client to re-connect it"))) {
			return DONE;
		}
		// Blocks 835-840: wait for the client to re-connect the socket.
		return this.link.awaitAttached(OUTBOUND, this.settings.waitTimeout()).thenAccept((reattached) -> {
			if (reattached) {
				this.link.transition(session, RECOVERING, NORMAL, // block 855
						because("the client re-connected the outbound socket").on(OUTBOUND).in(SERVER_OUTBOUND));
			}
			else {
				this.link.closeSocket(session, INBOUND); // block 845
				this.link.disconnect(session, because("the client did not re-connect the outbound socket within wait-timeout ("
						+ this.settings.waitTimeout().toMillis() + " ms)") // block 850
					.on(OUTBOUND)
					.in(SERVER_OUTBOUND)
					.then(planAfterDisconnect()));
			}
		});
	}

	/**
	 * A step of Fig. 7 or 8 threw what no step expects: the link is given up with that cause, and forgotten unless the
	 * client comes back.
	 */
	private void endedUnexpectedly(ProcedureRun run, Throwable failure) {
		RecoveryProcedure procedure = (SocketRole.valueOf(run.purpose()) == INBOUND) ? SERVER_INBOUND : SERVER_OUTBOUND;
		logger.warn(prefix() + "the " + procedure.figure() + " procedure ended with an unexpected error", failure);
		this.link.disconnect(run.session(), because("the " + procedure.figure() + " procedure failed unexpectedly: "
				+ failure).in(procedure).then(planAfterDisconnect()));
	}

	@Override
	public void socketAttached(SocketRole socket) {
		if (this.link.getState() == CONNECTING) {
			this.link.completeEstablishment(because("the client connected both sockets").in(LINK_ESTABLISHMENT));
		}
	}

	@Override
	public void disconnected(StateChange change) {
		// A procedure still waiting for the client has nobody left to wait for.
		this.sequencer.cancelRunning("the link went disconnected: " + change.cause());
		Duration window = change.isPeerClosed() ? Duration.ZERO : this.settings.waitTimeout();
		Object disconnected = this.link.statusToken();
		after(window, () -> {
			if (this.link.transitionIfStill(disconnected, DISCONNECTED, CLOSED, because(change.isPeerClosed() ? "the client shut down"
					: "the client did not come back within wait-timeout (" + window.toMillis() + " ms)")
				.then("forget the link"))) {
				this.forget.run();
			}
		});
	}

	@Override
	public void reconnect(String cause) {
		this.link.disconnect(this.link.sessionId(), because(cause).then("wait for the client to re-establish the link"));
	}

	@Override
	public String planAfterPeerClosed() {
		return "forget the link";
	}

	@Override
	public String planAfterDisconnect() {
		return "forget the link unless the client re-establishes it within " + this.settings.waitTimeout().toMillis()
				+ " ms";
	}

	@Override
	public void stop() {
		this.sequencer.stop();
	}

	private void after(Duration delay, Runnable action) {
		if (delay.isZero()) {
			action.run();
			return;
		}
		this.link.context().transport().timer().newTimeout((timeout) -> action.run(), delay.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	private String prefix() {
		return this.link.context().logPrefix(this.link.getId());
	}

}

package dev.dualsocket;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of one link (Fig. 4 of the source patent, plus {@code CONNECTING}, {@code QUIESCED} and {@code CLOSED}).
 *
 * <p>A link holds exactly one state at a time and changes it only along the transitions listed by
 * {@link #canMoveTo(LinkState)}; every change is reported as one {@code LinkStateChangedEvent}.
 */
public enum LinkState {

	/** The two sockets of the link are being established (first start, or a client re-establishing a lost link). */
	CONNECTING,

	/** Both sockets are up and no problem is known (Fig. 4, state 480). */
	NORMAL,

	/** A socket failed and one of the recovery procedures of Figs. 5-8 is running (Fig. 4, state 485). */
	RECOVERING,

	/** The failure could not be repaired; both sockets are closed (Fig. 4, state 490). */
	DISCONNECTED,

	/** The link was shut down by this side, or forgotten by a server; it takes no more requests. */
	CLOSED,

	/**
	 * Both sockets are up and their heartbeats run, but one side's application is paused (seed 002): this side's,
	 * after {@code quiesce()}, or the peer's, which said so with a {@code QUIESCE} frame. Requests wait rather than
	 * fail; {@code resume()} (or the peer's {@code RESUME}) goes back to {@link #NORMAL}. Not a failure. Last in the
	 * list so that the ordinals of the other states, which the link-state gauge reports, stay as they were.
	 */
	QUIESCED;

	static {
		CONNECTING.next = EnumSet.of(NORMAL, QUIESCED, DISCONNECTED, CLOSED);
		NORMAL.next = EnumSet.of(QUIESCED, RECOVERING, DISCONNECTED, CLOSED);
		QUIESCED.next = EnumSet.of(NORMAL, RECOVERING, DISCONNECTED, CLOSED);
		RECOVERING.next = EnumSet.of(NORMAL, QUIESCED, DISCONNECTED, CLOSED);
		DISCONNECTED.next = EnumSet.of(CONNECTING, CLOSED);
		CLOSED.next = EnumSet.noneOf(LinkState.class);
	}

	private Set<LinkState> next = Set.of();

	/**
	 * Whether the transition table allows a link in this state to move to {@code target}.
	 * @param target the state to move to
	 * @return {@code true} if the transition is allowed
	 */
	public boolean canMoveTo(LinkState target) {
		return this.next.contains(target);
	}

	/**
	 * Whether a request may be accepted in this state: it is sent at once when the outbound socket is up and
	 * otherwise waits, bounded by the request timeout, for the socket to come back.
	 * @return {@code true} for {@link #CONNECTING}, {@link #NORMAL}, {@link #QUIESCED} and {@link #RECOVERING}
	 */
	public boolean acceptsRequests() {
		return this == CONNECTING || this == NORMAL || this == QUIESCED || this == RECOVERING;
	}

	/**
	 * Whether both sockets are up and no recovery runs: {@link #NORMAL} or {@link #QUIESCED}.
	 * @return {@code true} for those two
	 */
	public boolean isUp() {
		return this == NORMAL || this == QUIESCED;
	}

}

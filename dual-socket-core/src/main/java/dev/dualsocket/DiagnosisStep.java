package dev.dualsocket;

import java.util.Locale;

/**
 * The steps of the diagnosis of a socket failure (seed 003, after claims 56 and 57 of its source patent: reach the
 * peer's process, its operating system, the network interface, and the peer through a second path), in the order
 * they run. Each step has a bound of its own, is published as an event, and may be skipped when an earlier step made
 * it pointless.
 */
public enum DiagnosisStep {

	/**
	 * A heartbeat on the link's other socket, which must be answered within {@code recovery.probe-timeout}: is the
	 * peer process alive? {@link Outcome#ANSWERED}, {@link Outcome#NOT_ANSWERED}, or {@link Outcome#NOT_POSSIBLE}
	 * when the other socket is down too.
	 */
	OTHER_SOCKET_PROBE,

	/**
	 * A fresh TCP connection to the address and port the failed socket was connected to, closed at once without
	 * sending anything: are the peer's host and its TCP stack up, and does anything listen? {@link Outcome#CONNECTED},
	 * {@link Outcome#REFUSED}, {@link Outcome#TIMED_OUT} or {@link Outcome#UNREACHABLE}. A server skips it: it knows
	 * no port of its client to connect to.
	 */
	PEER_CONNECT,

	/**
	 * The state of the network interface that carries the failed socket's local address: {@link Outcome#UP} or
	 * {@link Outcome#DOWN}.
	 */
	LOCAL_INTERFACE,

	/**
	 * A fresh TCP connection to the client's next (standby) address, when the peer's address did not answer:
	 * {@link Outcome#CONNECTED}, {@link Outcome#REFUSED}, {@link Outcome#TIMED_OUT} or {@link Outcome#UNREACHABLE}.
	 */
	ALTERNATE_CONNECT;

	/**
	 * The step in lower case with hyphens, as it appears in logs.
	 * @return for example {@code "peer-connect"}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * How one step came out.
	 */
	public enum Outcome {

		/** The probe's heartbeat was answered in time. */
		ANSWERED,

		/** The probe's heartbeat got no answer within the probe timeout, on a socket that stayed up. */
		NOT_ANSWERED,

		/** The step could not be tried: the other socket was down, or closed during the probe. */
		NOT_POSSIBLE,

		/** The TCP connection was accepted (and closed at once). */
		CONNECTED,

		/** The TCP connection was refused: the host answered, nothing listens on the port. */
		REFUSED,

		/** The TCP connection was not accepted within the step timeout: no answer at all. */
		TIMED_OUT,

		/** The TCP connection found no route to the host, or the network unreachable. */
		UNREACHABLE,

		/** The interface is up. */
		UP,

		/** The interface is down, or no longer has the address. */
		DOWN,

		/** The step was not run; its detail says why. */
		SKIPPED,

		/** The step itself failed in a way that says nothing of the peer; its detail says how. */
		ERROR;

		/**
		 * The outcome in lower case with spaces, as it appears in logs.
		 * @return for example {@code "not answered"}
		 */
		public String label() {
			return name().toLowerCase(Locale.ROOT).replace('_', ' ');
		}

	}

}

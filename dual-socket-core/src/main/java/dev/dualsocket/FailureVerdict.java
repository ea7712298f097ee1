package dev.dualsocket;

import java.util.Locale;

/**
 * What the diagnosis of a socket failure (seed 003) found had failed: the peer's process, its host, the path to it,
 * this host's own interface, or only the one socket.
 *
 * <p>The verdict follows from the outcomes of the {@link DiagnosisStep steps} in this order of precedence, the first
 * that applies winning:
 * <ol>
 * <li>{@link #LOCAL_INTERFACE_DOWN}: the interface of the failed socket's local address is down (or the socket
 * failed because it went down); nothing beyond this host can be judged through it;</li>
 * <li>{@link #SOCKET_ONLY}: the other socket's probe was answered;</li>
 * <li>{@link #PEER_PROCESS_DOWN}: the fresh connect to the peer's port was refused;</li>
 * <li>{@link #PEER_PROCESS_STUCK}: the fresh connect succeeded while the peer left heartbeats unanswered (the probe
 * timed out, or the socket failed by heartbeat timeout or silence);</li>
 * <li>{@link #PATH_DOWN_ALTERNATE_OK}: the fresh connect timed out or found no route, and the alternate address
 * accepted a connection;</li>
 * <li>{@link #PEER_HOST_UNREACHABLE}: the fresh connect timed out or found no route, and there is no alternate
 * address or it did not accept a connection either;</li>
 * <li>{@link #INCONCLUSIVE}: anything else.</li>
 * </ol>
 */
public enum FailureVerdict {

	/**
	 * The other socket's probe was answered: the peer process is alive and reachable, only this socket (its
	 * connection, or a middlebox on its path) failed. The recovery procedure re-connects it; nothing to do unless it
	 * keeps happening.
	 */
	SOCKET_ONLY,

	/**
	 * The peer's port refused a fresh connection: its host is up, but nothing listens there any more (the process
	 * died, or it closed its listener). Look at the peer process; the link comes back when it does.
	 */
	PEER_PROCESS_DOWN,

	/**
	 * The peer's port still accepted a fresh connection (its operating system completes the TCP handshake), yet the
	 * peer answered no heartbeat: the process is alive but does not run (stopped, hung, in a long pause). Look at the
	 * peer process: a thread dump, its garbage collector, a {@code SIGSTOP}.
	 */
	PEER_PROCESS_STUCK,

	/**
	 * A fresh connection to the peer's address timed out or found no route, and no alternate address accepted one:
	 * the peer's host is down, or the network path to it. Look at the host and the network between.
	 */
	PEER_HOST_UNREACHABLE,

	/**
	 * The network interface that carries the failed socket's local address is down, or no longer has the address:
	 * the fault is on this host. Look at this host's interface, cable or virtual network.
	 */
	LOCAL_INTERFACE_DOWN,

	/**
	 * A fresh connection to the peer's address timed out or found no route while the alternate (standby) address
	 * accepted one: the path to the peer is down, the alternate one works. A client with standby addresses moves
	 * there when the link is lost; look at the network path to the primary.
	 */
	PATH_DOWN_ALTERNATE_OK,

	/**
	 * The steps did not point to one cause: for example a server, which cannot connect to its client, whose other
	 * socket did not answer; or a peer whose port accepts connections after it closed the link's. The steps' outcomes
	 * in the diagnosis say what was seen.
	 */
	INCONCLUSIVE;

	/**
	 * The verdict in lower case, as it appears in metrics tags.
	 * @return for example {@code "peer_process_down"}
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}

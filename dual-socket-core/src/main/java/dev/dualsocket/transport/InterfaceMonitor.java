package dev.dualsocket.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import dev.dualsocket.FailureCause;
import dev.dualsocket.SocketFailure;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Fails the connections whose network interface went down (claim 6 (a) of the source patent: the communication
 * medium was disconnected). A connection is watched from the moment it joins a link; each poll looks up, once per
 * distinct local address, the interface that carries it, and fails every connection on an interface that is down or
 * that no longer has the address. It also answers, on its own thread, whether the interface of one address is up, for
 * the diagnosis of a failed socket.
 */
public final class InterfaceMonitor {

	private static final Log logger = LogFactory.getLog(InterfaceMonitor.class);

	/** Where a single look-up runs: the monitor's own thread, never an I/O thread (it makes system calls). */
	private final Executor lookups;

	private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

	/**
	 * What the last look found for each local address: why its interface is down, or {@link #UP}. Looking an
	 * address up costs system calls (tens of microseconds), so a new connection reads this instead; each poll
	 * refreshes it.
	 */
	private final Map<InetAddress, String> states = new ConcurrentHashMap<>();

	private static final String UP = "";

	/**
	 * @param lookups runs {@link #check(InetAddress)}: the thread that also polls
	 */
	public InterfaceMonitor(Executor lookups) {
		this.lookups = lookups;
	}

	/**
	 * Looks up whether the interface that carries a local address is up, on the monitor's thread: for the diagnosis
	 * of a failed socket (seed 003), which must not make system calls on an I/O thread.
	 * @param address a local address
	 * @return completes with why the address's interface is down, or with {@code null} if it is up (or its state
	 * cannot be read); fails if the monitor has stopped
	 */
	public CompletableFuture<@Nullable String> check(InetAddress address) {
		return CompletableFuture.supplyAsync(() -> whyDown(address), this.lookups);
	}

	/**
	 * Watches a connection until it closes, if its interface is up as far as the last look showed.
	 * @param channel the connection
	 * @return {@code null} if the connection is watched; otherwise why its interface is down, and it is not watched
	 */
	public @Nullable String watch(Channel channel) {
		if (channel.localAddress() instanceof InetSocketAddress local) {
			String state = this.states.computeIfAbsent(local.getAddress(), InterfaceMonitor::lookUp);
			if (!state.equals(UP)) {
				return state;
			}
		}
		if (this.channels.add(channel)) {
			channel.closeFuture().addListener((future) -> this.channels.remove(channel));
		}
		return null;
	}

	/**
	 * Checks every watched connection's interface once.
	 */
	public void poll() {
		Map<InetAddress, List<Channel>> byAddress = new HashMap<>();
		for (Channel channel : this.channels) {
			if (channel.localAddress() instanceof InetSocketAddress local && channel.isActive()) {
				byAddress.computeIfAbsent(local.getAddress(), (address) -> new ArrayList<>()).add(channel);
			}
		}
		this.states.keySet().retainAll(byAddress.keySet());
		byAddress.forEach((address, onAddress) -> {
			String down = whyDown(address);
			this.states.put(address, (down != null) ? down : UP);
			if (down != null) {
				logger.info("Failing " + onAddress.size() + " connection(s) on " + address.getHostAddress() + ": " + down);
				SocketFailure failure = new SocketFailure(FailureCause.INTERFACE_DOWN, down);
				// Every connection is marked before any is closed: one of them closing first must not reach its peer on
				// this host, also on this interface, as a plain end of stream.
				onAddress.forEach((channel) -> Connections.recordFailure(channel, failure));
				onAddress.forEach((channel) -> Connections.fail(channel, failure));
			}
		});
	}

	private static String lookUp(InetAddress address) {
		String down = whyDown(address);
		return (down != null) ? down : UP;
	}

	private static @Nullable String whyDown(InetAddress address) {
		try {
			NetworkInterface networkInterface = NetworkInterface.getByInetAddress(address);
			if (networkInterface == null) {
				return "address " + address.getHostAddress() + " is no longer assigned to any network interface";
			}
			if (!networkInterface.isUp()) {
				return "network interface " + networkInterface.getName() + " is down";
			}
			return null;
		}
		catch (SocketException ex) {
			logger.debug("Could not read the state of the interface of " + address + ": " + ex.getMessage());
			return null;
		}
	}

}

package dev.dualsocket.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * A server endpoint's open connections counted by remote IP address, from accept to close, whether still in their
 * handshake or attached to a link: one address cannot take every connection the server can hold. An address is
 * forgotten when its last connection closes, so the record does not grow with the addresses ever seen.
 */
final class ConnectionsPerAddress {

	private final int limit;

	private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

	/**
	 * @param limit the most connections open at once from one address
	 */
	ConnectionsPerAddress(int limit) {
		this.limit = limit;
	}

	/**
	 * Counts a new connection unless its address already has the limit open; a counted connection is given back
	 * when it closes.
	 * @param channel the accepted connection
	 * @return whether it was counted; {@code false} if it must be closed
	 */
	boolean take(Channel channel) {
		InetAddress address = addressOf(channel);
		if (address == null) {
			return true; // not an IP connection: nothing to count it by
		}
		boolean[] taken = new boolean[1];
		this.open.compute(address, (key, count) -> {
			int current = (count != null) ? count : 0;
			taken[0] = current < this.limit;
			return taken[0] ? current + 1 : count;
		});
		if (taken[0]) {
			channel.closeFuture().addListener((future) -> release(address));
		}
		return taken[0];
	}

	private void release(InetAddress address) {
		this.open.computeIfPresent(address, (key, count) -> (count > 1) ? count - 1 : null);
	}

	/**
	 * The address a connection comes from.
	 * @param channel the connection
	 * @return its remote IP address, or {@code null} if it has none
	 */
	static @Nullable InetAddress addressOf(Channel channel) {
		return (channel.remoteAddress() instanceof InetSocketAddress remote) ? remote.getAddress() : null;
	}

}

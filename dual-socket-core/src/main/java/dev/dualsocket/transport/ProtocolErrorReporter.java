package dev.dualsocket.transport;

import io.netty.channel.Channel;

/**
 * Told about each connection closed for breaking the protocol, after the log line has been written.
 */
@FunctionalInterface
public interface ProtocolErrorReporter {

	/**
	 * A connection is being closed because its peer broke the protocol.
	 * @param channel the connection
	 * @param reason what the peer did
	 */
	void protocolError(Channel channel, String reason);

}

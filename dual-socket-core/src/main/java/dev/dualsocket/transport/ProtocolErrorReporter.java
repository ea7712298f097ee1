package dev.dualsocket.transport;

import dev.dualsocket.Limit;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Told about each connection closed for breaking the protocol, after the log line has been written.
 */
@FunctionalInterface
public interface ProtocolErrorReporter {

	/**
	 * A connection is being closed because its peer broke the protocol.
	 * @param channel the connection
	 * @param reason what the peer did
	 * @param limit the protocol bound the peer went past, or {@code null} if it sent something malformed or out of
	 * place
	 */
	void protocolError(Channel channel, String reason, @Nullable Limit limit);

}

package dev.dualsocket.listener;

import dev.dualsocket.link.IncomingRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides what the peer is told when a {@link DualSocketListener} method fails, as Spring AMQP's
 * {@code RabbitListenerErrorHandler} does for a Rabbit listener. One bean of this type serves every listener; the
 * starter's default ({@link DefaultListenerErrorHandler}) logs the failure at WARN and tells the peer only that the
 * request failed, unless {@code dual-socket.listener.expose-errors=true}.
 */
@FunctionalInterface
public interface DualSocketListenerErrorHandler {

	/**
	 * Handles a listener's failure.
	 * @param request the request
	 * @param failure what failed; its cause is the listener's exception
	 * @return a value to answer with instead, encoded as a listener's return value is ({@code null} for an empty
	 * payload)
	 * @throws Exception to answer with an error: a {@link dev.dualsocket.link.RequestFailedException} chooses the
	 * error code and the exact text the peer gets; any other exception is answered {@code HANDLER_FAILED} with its
	 * type and message
	 */
	@Nullable Object handleError(IncomingRequest request, ListenerExecutionFailedException failure) throws Exception;

}

package dev.dualsocket.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of the requests that peers send to an endpoint (on its inbound socket).
 *
 * <p>The method takes the request payload as its one parameter, of any type the payload codec can decode
 * ({@code byte[]}, {@code String}, or a JSON-mapped type), and may also take an
 * {@link dev.dualsocket.link.IncomingRequest} for the link id and request id; it may take no parameter at all. Its
 * return value is encoded as the response ({@code void} or {@code null} answers with an empty payload). An exception it
 * throws reaches the caller as a {@link dev.dualsocket.RemoteRequestException} with the exception's type and message.
 * It runs on the endpoint's bounded handler pool, never on an I/O thread, so it may block; a request the peer sends
 * again after a socket failure is not run twice.
 *
 * <pre class="code">
 * &#64;DualSocketListener("exchange")
 * Quote onQuote(QuoteRequest request) { ... }
 * </pre>
 *
 * One method per endpoint.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DualSocketListener {

	/**
	 * The name of the endpoint, as configured under {@code dual-socket.endpoints}.
	 * @return the endpoint name
	 */
	String value();

}

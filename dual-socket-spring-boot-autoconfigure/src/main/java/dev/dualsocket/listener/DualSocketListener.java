package dev.dualsocket.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a handler of the requests that peers send to an endpoint (on its inbound socket).
 *
 * <p>The method takes the request payload as its one parameter, of any type the payload codec can decode
 * ({@code byte[]}, {@code String}, or a JSON-mapped type), and may also take an
 * {@link dev.dualsocket.link.IncomingRequest} for the link id, request id and headers; it may take no parameter at
 * all. Its return value is encoded as the response ({@code void} or {@code null} answers with an empty payload); a
 * {@link java.util.concurrent.CompletableFuture} or {@link java.util.concurrent.CompletionStage} answers when it
 * completes, without holding a handler thread meanwhile. It runs on the endpoint's bounded handler pool, never on an
 * I/O thread, so it may block; one marked {@link #blocking() blocking = false} runs on the I/O thread that read the
 * request instead, saving two thread hand-offs per request. A request the peer sends again after a socket failure is not run twice. What the peer
 * is told when it throws is the {@link DualSocketListenerErrorHandler}'s decision: by default a generic error, the
 * exception being logged here.
 *
 * <p>An endpoint may have several listeners, one per message type (section 2.1 of the protocol): each answers the
 * requests of its {@link #type()}, by default the simple name of its payload parameter's class, which is what
 * {@code request(payload, responseType)} sends for a payload of that class. A listener whose payload is
 * {@code byte[]} or {@code String} (or that takes none) and names no type is the endpoint's default: it answers the
 * requests that name no type, or a type no listener has. An endpoint with a single listener answers every request
 * with it, whatever type it names.
 *
 * <pre class="code">
 * &#64;DualSocketListener("exchange")
 * Quote onQuote(QuoteRequest request) { ... }
 *
 * &#64;DualSocketListener(value = "exchange", type = "fill")
 * CompletableFuture&lt;FillAck&gt; onFill(FillReport fill) { ... }
 * </pre>
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

	/**
	 * The message type this listener answers; empty for the simple name of the payload parameter's class, or for
	 * the endpoint's default listener when the payload is {@code byte[]} or {@code String}.
	 * @return the message type
	 */
	String type() default "";

	/**
	 * Whether the method may block the thread it runs on (I/O, a lock held for long, waiting on a future). {@code false}
	 * runs it on the I/O thread that read the request, without handing it to the handler pool: only for a method that
	 * returns within microseconds, since no other socket of that thread is served meanwhile. An endpoint with several
	 * listeners runs them on the I/O threads only if none of them blocks. See
	 * {@link dev.dualsocket.link.RequestHandler#isBlocking()}.
	 * @return {@code true} (the default) if it may block
	 */
	boolean blocking() default true;

}

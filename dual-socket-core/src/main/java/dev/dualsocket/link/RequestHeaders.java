package dev.dualsocket.link;

import java.nio.charset.StandardCharsets;

import dev.dualsocket.transport.FieldList;
import dev.dualsocket.transport.RequestFields;
import org.jspecify.annotations.Nullable;

/**
 * The optional header fields of a request (section 2.1 of the protocol): its message type, by which the receiver
 * picks the handler, and its W3C trace context. Sent only on version-2 connections; a version-1 peer sees the payload
 * alone.
 *
 * @param messageType what kind of request the payload is, or {@code null} for the receiver's default handler
 * @param traceParent a W3C {@code traceparent}, or {@code null}
 * @param traceState a W3C {@code tracestate}, or {@code null}; only with a {@code traceParent}
 */
public record RequestHeaders(@Nullable String messageType, @Nullable String traceParent, @Nullable String traceState) {

	/** No header field. */
	public static final RequestHeaders NONE = new RequestHeaders(null, null, null);

	/**
	 * Checks each field against its rule.
	 * @throws IllegalArgumentException naming the field and its rule
	 */
	public RequestHeaders {
		RequestFields.check(messageType, traceParent, traceState, IllegalArgumentException::new);
	}

	/**
	 * Headers with only a message type.
	 * @param messageType the message type, or {@code null}
	 * @return the headers
	 */
	public static RequestHeaders ofType(@Nullable String messageType) {
		return (messageType != null) ? new RequestHeaders(messageType, null, null) : NONE;
	}

	/**
	 * The same headers with a trace context.
	 * @param traceParent the {@code traceparent}
	 * @param traceState the {@code tracestate}, or {@code null}
	 * @return the headers
	 */
	public RequestHeaders withTrace(String traceParent, @Nullable String traceState) {
		return new RequestHeaders(this.messageType, traceParent, traceState);
	}

	/** Whether there is no header field at all. */
	public boolean isEmpty() {
		return this.messageType == null && this.traceParent == null && this.traceState == null;
	}

	/**
	 * The header fields as they go on the wire.
	 * @return the field list
	 */
	public FieldList toFields() {
		if (isEmpty()) {
			return FieldList.EMPTY;
		}
		FieldList.Builder fields = FieldList.builder();
		put(fields, RequestFields.MESSAGE_TYPE, this.messageType);
		put(fields, RequestFields.TRACEPARENT, this.traceParent);
		put(fields, RequestFields.TRACESTATE, this.traceState);
		return fields.build();
	}

	/**
	 * The headers a request arrived with; the decoder has checked them (section 2.1).
	 * @param fields the request's header fields
	 * @return the headers
	 */
	public static RequestHeaders fromFields(FieldList fields) {
		if (fields.isEmpty()) {
			return NONE;
		}
		return new RequestHeaders(text(fields, RequestFields.MESSAGE_TYPE), text(fields, RequestFields.TRACEPARENT),
				text(fields, RequestFields.TRACESTATE));
	}

	private static void put(FieldList.Builder fields, int key, @Nullable String value) {
		if (value != null) {
			fields.put(key, value.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static @Nullable String text(FieldList fields, int key) {
		byte[] value = fields.get(key);
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
	}

}

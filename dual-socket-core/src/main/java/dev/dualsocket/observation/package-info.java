/**
 * Micrometer Observations of requests, one per request on each side of a link, as Spring AMQP's
 * {@code RabbitTemplateObservation} and {@code RabbitListenerObservation}: {@link DualSocketObservation} documents
 * their names and keys, {@link DefaultOutboundRequestObservationConvention} and
 * {@link DefaultInboundRequestObservationConvention} give them, and a user's
 * {@link OutboundRequestObservationConvention} or {@link InboundRequestObservationConvention} replaces them. The
 * sender's context writes the W3C trace context into the request's {@code traceparent} and {@code tracestate} header
 * fields (section 2.1 of the protocol), the receiver's reads it back, so that a tracer sees one trace across both
 * services. {@link RequestObservations} is what an endpoint is given; {@link RequestObservations#OFF} costs nothing.
 */
@NullMarked
package dev.dualsocket.observation;

import org.jspecify.annotations.NullMarked;

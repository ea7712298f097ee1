package dev.dualsocket.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestHeaders;
import org.junit.jupiter.api.Test;

/**
 * How the observation contexts carry the trace context in a request's header fields (section 2.1 of the protocol).
 */
class RequestContextsTests {

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@Test
	void theSenderPutsWhatThePropagatorWritesIntoTheHeaderFieldsBesideTheMessageType() {
		OutboundRequestContext context = outbound(RequestHeaders.ofType("quote"));

		context.getSetter().set(context, "traceparent", TRACEPARENT);
		context.getSetter().set(context, "tracestate", "rojo=00f067aa0ba902b7");
		context.getSetter().set(context, "baggage", "tenant=acme");

		assertThat(context.headers()).isEqualTo(new RequestHeaders("quote", TRACEPARENT, "rojo=00f067aa0ba902b7"));
	}

	@Test
	void aTracestateTooLongForItsFieldIsLeftOutAndTheTraceparentKept() {
		OutboundRequestContext context = outbound(RequestHeaders.NONE);

		context.getSetter().set(context, "traceparent", TRACEPARENT);
		context.getSetter().set(context, "tracestate", "k=" + "v".repeat(600));

		assertThat(context.headers()).isEqualTo(new RequestHeaders(null, TRACEPARENT, null));
	}

	@Test
	void aTraceparentThatBreaksItsRuleIsNotSent() {
		OutboundRequestContext context = outbound(RequestHeaders.ofType("quote"));

		context.getSetter().set(context, "traceparent", "not-a-traceparent");

		assertThat(context.headers()).isEqualTo(RequestHeaders.ofType("quote"));
	}

	@Test
	void theCallersOwnTraceContextWins() {
		RequestHeaders own = RequestHeaders.ofType("quote").withTrace(TRACEPARENT, null);
		OutboundRequestContext context = outbound(own);

		context.getSetter().set(context, "traceparent", "00-11111111111111111111111111111111-2222222222222222-01");

		assertThat(context.headers()).isEqualTo(own);
	}

	@Test
	void theReceiverReadsTheTraceContextFromTheRequestsHeaderFields() {
		IncomingRequest request = new IncomingRequest("hub", "orders-1", 7, new byte[0],
				new RequestHeaders("quote", TRACEPARENT, "rojo=1"));
		InboundRequestContext context = new InboundRequestContext(request, EndpointRole.SERVER);

		assertThat(context.getGetter().get(request, "traceparent")).isEqualTo(TRACEPARENT);
		assertThat(context.getGetter().get(request, "tracestate")).isEqualTo("rojo=1");
		assertThat(context.getGetter().get(request, "baggage")).isNull();
		assertThat(context.getGetter().get(new IncomingRequest("hub", "orders-1", 8, new byte[0]), "traceparent"))
			.isNull();
	}

	private static OutboundRequestContext outbound(RequestHeaders headers) {
		return new OutboundRequestContext("exchange", EndpointRole.CLIENT, "orders-1", headers);
	}

}

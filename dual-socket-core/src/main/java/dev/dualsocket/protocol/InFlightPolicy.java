package dev.dualsocket.protocol;

/**
 * What a binding can promise about a request that was in flight on a connection that failed.
 */
public enum InFlightPolicy {

	/**
	 * It goes out again on the re-connected socket under the same id, and the peer answers a request it already ran
	 * from its record of served ids instead of running it again (this project's protocol, section 6.3): nothing lost,
	 * nothing run twice.
	 */
	RESEND,

	/**
	 * It fails at once with a {@link dev.dualsocket.LinkDisconnectedException} saying that it may or may not have run:
	 * the protocol has no way to make a re-send safe (a re-sent SMPP {@code submit_sm} is a second message; ISO 8583
	 * has its own repeat messages, which are the application's to send). Requests not yet sent wait for the socket, as
	 * ever. The peer's requests are never taken for duplicates: each gets an id of its own.
	 */
	FAIL

}

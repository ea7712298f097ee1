package dev.dualsocket.transport;

/**
 * What a {@link HeartbeatHandler} tells the socket it watches, and asks of it.
 */
public interface HeartbeatObserver {

	/**
	 * A heartbeat was answered.
	 * @param nanos the round trip in nanoseconds
	 */
	void onRoundTrip(long nanos);

	/**
	 * The lowest id among the requests this side sent on this socket and still awaits; every lower id has been
	 * answered. Sent in each heartbeat so that the peer can forget the responses it keeps for duplicates.
	 * @return the low watermark, or zero when this socket carries no requests of this side
	 */
	long requestLowWatermark();

	/**
	 * The peer's low watermark arrived in a heartbeat.
	 * @param watermark every request id below it has been answered and will not be sent again
	 */
	void onPeerRequestLowWatermark(long watermark);

}

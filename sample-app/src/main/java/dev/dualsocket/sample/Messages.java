package dev.dualsocket.sample;

import java.math.BigDecimal;

/**
 * The payloads the two sides exchange. Records travel as JSON through the auto-configured payload codec.
 */
public final class Messages {

	private Messages() {
	}

	/**
	 * The client asks the server for a price.
	 * @param symbol the instrument
	 * @param sequence the client's running number
	 */
	public record QuoteRequest(String symbol, long sequence) {
	}

	/**
	 * The server's answer to a {@link QuoteRequest}.
	 * @param symbol the instrument
	 * @param price the price
	 * @param sequence the request's running number
	 * @param linkId the link the request arrived on
	 */
	public record Quote(String symbol, BigDecimal price, long sequence, String linkId) {
	}

	/**
	 * The server tells the client that an order was filled.
	 * @param orderId the order
	 * @param symbol the instrument
	 * @param quantity how many were filled
	 */
	public record Fill(long orderId, String symbol, int quantity) {
	}

	/**
	 * The client's answer to a {@link Fill}.
	 * @param orderId the order
	 * @param booked whether the client booked it
	 */
	public record FillAck(long orderId, boolean booked) {
	}

}

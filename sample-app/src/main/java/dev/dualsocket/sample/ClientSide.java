package dev.dualsocket.sample;

import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.listener.DualSocketListener;
import dev.dualsocket.sample.Messages.Fill;
import dev.dualsocket.sample.Messages.FillAck;
import dev.dualsocket.sample.Messages.Quote;
import dev.dualsocket.sample.Messages.QuoteRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The client end of the link: the endpoint {@code exchange} (see {@code application-client.yml}). Asks the server for
 * a quote every second on its outbound socket, and answers the fills the server reports on its inbound socket.
 */
@Component
@Profile("client")
public class ClientSide {

	private static final Log logger = LogFactory.getLog(ClientSide.class);

	private final DualSocketEndpoint exchange;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong quotesReceived = new AtomicLong();

	private final AtomicLong fillsAnswered = new AtomicLong();

	public ClientSide(@Qualifier("exchange") DualSocketEndpoint exchange) {
		this.exchange = exchange;
	}

	@Scheduled(fixedRate = 1000, initialDelay = 1000)
	void requestQuote() {
		DualSocketLink link = this.exchange.links().stream().findFirst().orElse(null);
		// While RECOVERING a request waits for the outbound socket and is sent again if the socket it went out on
		// fails, so only links that are down or still connecting are skipped.
		if (link == null || (link.getState() != LinkState.NORMAL && link.getState() != LinkState.RECOVERING)) {
			return;
		}
		long sequence = this.sent.incrementAndGet();
		long start = System.nanoTime();
		this.exchange.request(new QuoteRequest("ACME", sequence), Quote.class).whenComplete((quote, failure) -> {
			if (failure != null) {
				logger.warn("exchange: quote request #" + sequence + " failed: " + Failures.describe(failure));
				return;
			}
			long received = this.quotesReceived.incrementAndGet();
			if (received == 1 || received % 10 == 0) {
				logger.info("exchange: " + received + " quotes received from the server; last: " + quote.symbol() + " "
						+ quote.price() + " for request #" + quote.sequence() + " in "
						+ String.format(java.util.Locale.ROOT, "%.1f ms", (System.nanoTime() - start) / 1e6));
			}
		});
	}

	/**
	 * Answers the requests the server sends on the client's inbound socket.
	 * @param fill the server's request
	 * @return the answer
	 */
	@DualSocketListener("exchange")
	FillAck onFill(Fill fill) {
		this.fillsAnswered.incrementAndGet();
		if (logger.isDebugEnabled()) {
			logger.debug("exchange: order " + fill.orderId() + " filled, " + fill.quantity() + " " + fill.symbol());
		}
		return new FillAck(fill.orderId(), fill.quantity() > 0);
	}

	public long quotesReceived() {
		return this.quotesReceived.get();
	}

	public long fillsAnswered() {
		return this.fillsAnswered.get();
	}

}

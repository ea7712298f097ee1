package dev.dualsocket.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.IncomingRequest;
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
 * The server end: the endpoint {@code desk} (see {@code application-server.yml}), which accepts any number of client
 * links. Answers quote requests on its inbound sockets, and every second reports a fill to each of its links on their
 * outbound sockets.
 */
@Component
@Profile("server")
public class ServerSide {

	private static final Log logger = LogFactory.getLog(ServerSide.class);

	private final DualSocketEndpoint desk;

	private final AtomicLong orders = new AtomicLong();

	private final AtomicLong quotesAnswered = new AtomicLong();

	private final AtomicLong fillsAcknowledged = new AtomicLong();

	public ServerSide(@Qualifier("desk") DualSocketEndpoint desk) {
		this.desk = desk;
	}

	/**
	 * Answers the requests clients send on the server's inbound sockets.
	 * @param request the client's request
	 * @param incoming which link it came on
	 * @return the answer
	 */
	@DualSocketListener("desk")
	Quote onQuoteRequest(QuoteRequest request, IncomingRequest incoming) {
		this.quotesAnswered.incrementAndGet();
		if (logger.isDebugEnabled()) {
			logger.debug("desk: quote request #" + request.sequence() + " for " + request.symbol() + " from link '"
					+ incoming.linkId() + "'");
		}
		BigDecimal price = BigDecimal.valueOf(100 + ThreadLocalRandom.current().nextDouble(5))
			.setScale(2, RoundingMode.HALF_UP);
		return new Quote(request.symbol(), price, request.sequence(), incoming.linkId());
	}

	@Scheduled(fixedRate = 1000, initialDelay = 1500)
	void reportFills() {
		for (DualSocketLink link : this.desk.links()) {
			if (link.getState() != LinkState.NORMAL && link.getState() != LinkState.RECOVERING) {
				continue;
			}
			Fill fill = new Fill(this.orders.incrementAndGet(), "ACME", 1 + ThreadLocalRandom.current().nextInt(100));
			link.request(fill, FillAck.class).whenComplete((ack, failure) -> {
				if (failure != null) {
					logger.warn("desk: fill for order " + fill.orderId() + " on link '" + link.getId() + "' failed: "
							+ Failures.describe(failure));
					return;
				}
				long acknowledged = this.fillsAcknowledged.incrementAndGet();
				if (acknowledged == 1 || acknowledged % 10 == 0) {
					logger.info("desk: " + acknowledged + " fills acknowledged by clients; last: order " + ack.orderId()
							+ " on link '" + link.getId() + "'");
				}
			});
		}
	}

	public long quotesAnswered() {
		return this.quotesAnswered.get();
	}

	public long fillsAcknowledged() {
		return this.fillsAcknowledged.get();
	}

}

package dev.dualsocket.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.link.DualSocketLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the recovery tests do not already show of {@link FaultProxy}: a delay adds latency without breaking the link,
 * and both ends of a link find the same proxied connection for a socket.
 */
class FaultProxyTests {

	private static final Duration DELAY = Duration.ofMillis(150);

	private final TestBed bed = new TestBed();

	private ProxiedLink link;

	@BeforeEach
	void connect() throws Exception {
		this.link = new ProxiedLink(this.bed, TestBed.FAST, TestBed.FAST);
	}

	@AfterEach
	void close() throws Exception {
		this.link.close();
		this.bed.close();
	}

	@Test
	void delayAddsLatencyBothWaysAndTheLinkStaysNormal() throws Exception {
		int failuresBefore = this.link.clientLink.snapshot().outbound().failures();
		this.link.proxy.delay(DELAY);

		long start = System.nanoTime();
		assertThat(ask(this.link.clientLink, "slow")).isEqualTo("slow");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DELAY.multipliedBy(2));

		this.link.proxy.delay(Duration.ZERO);
		assertThat(ask(this.link.clientLink, "fast")).isEqualTo("fast");
		assertThat(this.link.clientLink.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.link.clientLink.snapshot().outbound().failures()).isEqualTo(failuresBefore);
	}

	@Test
	void bothEndsOfALinkFindTheSameConnectionForASocket() {
		// The client's outbound socket is the server's inbound one, and the other way round.
		assertThat(this.link.proxy.connection(this.link.serverLink, SocketRole.INBOUND))
			.isSameAs(this.link.proxy.connection(this.link.clientLink, SocketRole.OUTBOUND));
		assertThat(this.link.proxy.connection(this.link.serverLink, SocketRole.OUTBOUND))
			.isSameAs(this.link.proxy.connection(this.link.clientLink, SocketRole.INBOUND));
		assertThat(this.link.proxy.connections()).hasSize(2);
	}

	@Test
	void connectionCutFromTheServerEndIsRecovered() {
		FaultProxy.Connection cut = this.link.proxy.connection(this.link.serverLink, SocketRole.OUTBOUND);

		cut.cut();

		assertThat(cut.isOpen()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.clientLink.snapshot().inbound().connects() == 2);
		LinkStates.awaitState(this.link.clientLink, LinkState.NORMAL, Duration.ofSeconds(5));
		LinkStates.awaitState(this.link.serverLink, LinkState.NORMAL, Duration.ofSeconds(5));
		assertThat(this.link.proxy.connection(this.link.clientLink, SocketRole.INBOUND)).isNotSameAs(cut);
	}

	private static String ask(DualSocketLink link, String payload) throws Exception {
		return new String(link.request(payload.getBytes(UTF_8)).get(5, TimeUnit.SECONDS), UTF_8);
	}

}

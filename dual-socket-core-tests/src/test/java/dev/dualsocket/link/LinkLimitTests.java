package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.dualsocket.Limit;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LimitExceededEvent;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server endpoint holds at most {@code max-links} links: a client opening one more is refused {@code LINK_LIMIT}
 * and keeps trying, the links held are not affected, and the client gets in once a link is gone.
 */
class LinkLimitTests {

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void linkBeyondMaxLinksIsRefusedUntilAnotherIsGone() {
		ServerEndpoint server = new ServerEndpoint(
				EndpointSettings.server("server", "127.0.0.1", 0, TestBed.FAST).withMaxLinks(2), this.bed.transport,
				this.bed.events);
		server.start();
		this.bed.adopt(server);
		int port = server.getLocalAddress().getPort();
		ClientEndpoint first = this.bed.client("first", "link-1", port, TestBed.FAST);
		ClientEndpoint second = this.bed.client("second", "link-2", port, TestBed.FAST);
		TestBed.awaitNormal(first.link("link-1"));
		TestBed.awaitNormal(second.link("link-2"));

		ClientEndpoint third = this.bed.client("third", "link-3", port, TestBed.FAST);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.bed.events.ofType(ReconnectAttemptEvent.class, "third")
				.stream()
				.filter((attempt) -> !attempt.isSuccessful())
				.count() >= 2);
		assertThat(this.bed.events.ofType(ReconnectAttemptEvent.class, "third")).first()
			.satisfies((attempt) -> assertThat(attempt.getError()).contains("already holds 2 links (max-links)"));
		assertThat(third.link("link-3").getState()).isIn(LinkState.CONNECTING, LinkState.DISCONNECTED);
		assertThat(server.findLink("link-3")).isEmpty();
		assertThat(this.bed.events.ofType(LimitExceededEvent.class, "server")).isNotEmpty().allSatisfy((event) -> {
			assertThat(event.getLimit()).isEqualTo(Limit.LINKS);
			assertThat(event.getLinkId()).isEqualTo("link-3");
			assertThat(event.getMessage()).contains("already holds 2 links (max-links)");
		});
		assertThat(first.link("link-1").getState()).isEqualTo(LinkState.NORMAL);
		assertThat(second.link("link-2").getState()).isEqualTo(LinkState.NORMAL);
		assertThat(first.link("link-1").snapshot().outbound().connects()).isOne();

		first.stop(Duration.ZERO);

		await().atMost(Duration.ofSeconds(15)).until(() -> third.link("link-3").getState() == LinkState.NORMAL);
		assertThat(second.link("link-2").snapshot().inbound().connects()).isOne();
	}

}

package dev.dualsocket.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.sample.Messages.Quote;
import dev.dualsocket.sample.Messages.QuoteRequest;
import dev.dualsocket.test.FaultProxy;
import dev.dualsocket.test.LinkStates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/**
 * Two services, as they run in production: the sample's server side ({@code desk}) in an application context of its
 * own, on a port the kernel picks, and the client side ({@code exchange}) under test, linked to it through the test
 * kit's {@link FaultProxy}. Cutting the client's outbound socket in the proxy sends the link to {@code RECOVERING};
 * it comes back {@code NORMAL} and requests still get their answers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
@ActiveProfiles("client")
@RecordApplicationEvents
@DirtiesContext
class LinkRecoveryTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static ConfigurableApplicationContext serverService;

	private static FaultProxy proxy;

	@DynamicPropertySource
	static void linkThroughAFaultProxy(DynamicPropertyRegistry registry) throws IOException {
		serverService = new SpringApplicationBuilder(SampleApplication.class).profiles("server")
			.web(WebApplicationType.NONE)
			.run("--dual-socket.endpoints.desk.port=0");
		DualSocketEndpoint desk = serverService.getBean(DualSocketEndpointRegistry.class).get("desk");
		proxy = FaultProxy.inFrontOf(desk);
		registry.add("dual-socket.endpoints.exchange.port", proxy::port);
	}

	@AfterAll
	static void stopTheServerService() throws IOException {
		// In order: the server tells the client it is going, so the link closes instead of recovering.
		serverService.close();
		proxy.close();
	}

	@Autowired
	@Qualifier("exchange")
	private DualSocketEndpoint exchange;

	@Test
	void cutSocketGoesRecoveringThenNormalAndRequestsStillGetTheirAnswers(ApplicationEvents events) throws Exception {
		DualSocketLink link = this.exchange.link("sample-1");
		LinkStates.awaitState(link, LinkState.NORMAL, WAIT);

		proxy.connection(link, SocketRole.OUTBOUND).cut();

		await().atMost(WAIT).until(() -> states(events).contains(LinkState.RECOVERING));
		LinkStates.awaitState(link, LinkState.NORMAL, WAIT);
		assertThat(states(events)).containsSubsequence(LinkState.RECOVERING, LinkState.NORMAL);
		assertThat(link.snapshot().outbound().failures()).isOne();
		Quote quote = this.exchange.request(new QuoteRequest("ACME", 42), Quote.class).get(5, TimeUnit.SECONDS);
		assertThat(quote.sequence()).isEqualTo(42);
		assertThat(quote.linkId()).isEqualTo("sample-1");
	}

	private static List<LinkState> states(ApplicationEvents events) {
		return events.stream(LinkStateChangedEvent.class)
			.filter((event) -> event.getEndpoint().equals("exchange"))
			.map(LinkStateChangedEvent::getTo)
			.toList();
	}

}

package dev.dualsocket.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.test.Attacker.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kit's {@link Attacker} reads the server's answers to its hostile handshakes as section 4 of the protocol gives
 * them: accepted with a token, rejected with a reason, or closed without a word.
 */
class AttackerTests {

	private final TestBed bed = new TestBed();

	private Attacker attacker;

	private DualSocketLink link;

	private int port;

	@BeforeEach
	void start() {
		ServerEndpoint server = this.bed.server("server", TestBed.FAST);
		server.setRequestHandler((request) -> request.payload());
		this.port = server.getLocalAddress().getPort();
		this.link = this.bed.client("client", "target", this.port, TestBed.FAST).link("target");
		TestBed.awaitNormal(this.link);
		this.attacker = Attacker.against("127.0.0.1", this.port).withPatience(Duration.ofSeconds(5));
	}

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void newSessionForALiveLinkIsRefusedLinkInUseAndTheLinkStays() throws Exception {
		Answer answer = this.attacker.newSessionFor("target");

		// Section 4.4: nobody authenticates here, and the link's connections are live: the server keeps the link.
		assertThat(answer.outcome()).isEqualTo(Answer.Outcome.REJECTED);
		assertThat(answer.reasonName()).isEqualTo("LINK_IN_USE");
		assertThat(answer.token()).isEmpty();
		assertThat(this.link.getState()).isEqualTo(LinkState.NORMAL);
		assertThat(this.bed.events.states("client")).doesNotContain(LinkState.DISCONNECTED);
	}

	@Test
	void joinWithTheTokenOfTheSessionIsAcceptedAndWithAnyOtherIsSessionEnded() throws Exception {
		try (RawConnection opening = new RawConnection(this.port)) {
			// The opening connection stays open: a session whose first connection closed before the second joined
			// has ended (section 4.4).
			opening.writeHello(1, 1, 7, "stranger");
			byte[] token = opening.readUntil(RawConnection.HELLO_ACCEPT).shortBytesAt(2);

			assertThat(this.attacker.join("stranger", 7, new byte[16], 2).reasonName()).isEqualTo("SESSION_ENDED");
			Answer joined = this.attacker.join("stranger", 7, token, 2);
			assertThat(joined.outcome()).isEqualTo(Answer.Outcome.ACCEPTED);
			assertThat(joined.token()).isEqualTo(token);
		}
		assertThat(this.link.getState()).isEqualTo(LinkState.NORMAL);
	}

	@Test
	void replayedBytesGetTheAnswerTheirHelloDeserves() throws Exception {
		Answer replayed = this.attacker.replay(Attacker.hello(1, 1, 42, "replayed", new byte[0], new byte[0]));
		assertThat(replayed.outcome()).isEqualTo(Answer.Outcome.ACCEPTED);
		assertThat(replayed.session()).isEqualTo(42);

		Answer unknownVersion = this.attacker.replay(Attacker.hello(99, 1, 42, "replayed", new byte[0], new byte[0]));
		assertThat(unknownVersion.reasonName()).isEqualTo("UNSUPPORTED_VERSION");
		Answer sessionZero = this.attacker.replay(Attacker.hello(1, 1, 0, "replayed", new byte[0], new byte[0]));
		assertThat(sessionZero.reasonName()).isEqualTo("MALFORMED_HELLO");
		assertThat(sessionZero.text()).isNotEmpty();
		// Not a frame at all: its "length" is far above what the server reads before a handshake (section 2).
		Answer http = this.attacker.replay("GET / HTTP/1.1\r\n\r\n".getBytes(UTF_8));
		assertThat(http.outcome()).isEqualTo(Answer.Outcome.CLOSED);
		assertThat(http.session()).isZero();
	}

}

package dev.dualsocket.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.SocketSnapshot;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.Sockets;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.PostChannel;
import org.jpos.iso.packager.ISO87APackager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our server endpoint against two jPOS client channels ({@code PostChannel}: a 2-byte binary length, as
 * {@link LengthHeader#BINARY_2}): one connects to {@code port} (its requests to us), the other to
 * {@code inbound-port} (our requests to it).
 */
class JposClientInteropTests {

	private static final ISO87APackager PACKAGER = new ISO87APackager();

	private final Bed bed = new Bed();

	private final List<JposPeer> peers = new ArrayList<>();

	private final int port = Sockets.freePort();

	private final int inboundPort = Sockets.freePort();

	private ServerEndpoint server;

	private JposPeer toPort;

	private JposPeer toInboundPort;

	private DualSocketLink link;

	@BeforeEach
	void linkUp() throws Exception {
		Iso8583Protocol protocol = new Iso8583Protocol(Iso8583Settings.of(PACKAGER));
		this.server = this.bed.server("iso-server", this.port, this.inboundPort, protocol);
		this.server.setRequestHandler((request) -> {
			ISOMsg message = (ISOMsg) protocol.getPayloadCodec().decode(request.payload(), ISOMsg.class);
			return protocol.getPayloadCodec().encode(Iso8583CodecTests.answer(message, "00"));
		});
		this.server.start();
		this.toPort = connect(this.port);
		this.toInboundPort = connect(this.inboundPort);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.findLink("link-1")
			.map((link) -> link.getState() == LinkState.NORMAL)
			.orElse(false));
		this.link = this.server.link("link-1");
	}

	private JposPeer connect(int to) throws Exception {
		JposPeer peer = JposPeer.client(new PostChannel("127.0.0.1", to, PACKAGER));
		this.peers.add(peer);
		return peer;
	}

	@AfterEach
	void close() {
		this.bed.close();
		this.peers.forEach(JposPeer::close);
	}

	@Test
	void requestsBothWaysAndEchoTests() throws Exception {
		assertJposRequestAnswered(this.toPort, "400001");
		Bed.assertAnswered(this.link, "500001");
		await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
			.until(() -> this.link.getState() == LinkState.NORMAL);
		assertThat(this.toPort.received.stream().filter(JposPeer.echoTest())).hasSizeGreaterThan(3);
		assertThat(this.toInboundPort.received.stream().filter(JposPeer.echoTest())).hasSizeGreaterThan(3);
	}

	@Test
	void aKilledInboundConnectionWaitsForTheClientByFigure7AndTheOutboundOneIsKept() throws Exception {
		SocketSnapshot inbound = this.link.snapshot().inbound();
		String outboundBefore = this.link.snapshot().outbound().localAddress();
		this.bed.clearEvents();

		KernelFaults.kill(Sockets.localPort(inbound), Sockets.remotePort(inbound));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.getState() != LinkState.NORMAL);
		JposPeer again = connect(this.port);

		Bed.awaitRecovered(this.link, SocketRole.INBOUND);
		assertThat(this.bed.stateChanges("iso-server")).extracting(LinkStateChangedEvent::getProcedure)
			.isNotEmpty()
			.containsOnly(RecoveryProcedure.SERVER_INBOUND);
		assertThat(this.link.snapshot().outbound().localAddress()).isEqualTo(outboundBefore);
		assertThat(this.link.snapshot().outbound().connects()).isOne();
		assertJposRequestAnswered(again, "400002");
		Bed.assertAnswered(this.link, "500002");
	}

	@Test
	void aClosedOutboundConnectionWaitsForTheClientByFigure8AndTheInboundOneIsKept() throws Exception {
		String inboundBefore = this.link.snapshot().inbound().localAddress();
		this.bed.clearEvents();

		this.toInboundPort.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.getState() != LinkState.NORMAL);
		this.toInboundPort = connect(this.inboundPort);

		Bed.awaitRecovered(this.link, SocketRole.OUTBOUND);
		assertThat(this.bed.stateChanges("iso-server")).extracting(LinkStateChangedEvent::getProcedure)
			.isNotEmpty()
			.containsOnly(RecoveryProcedure.SERVER_OUTBOUND);
		assertThat(this.link.snapshot().inbound().localAddress()).isEqualTo(inboundBefore);
		assertThat(this.link.snapshot().inbound().connects()).isOne();
		Bed.assertAnswered(this.link, "500003");
		assertJposRequestAnswered(this.toPort, "400003");
	}

	private void assertJposRequestAnswered(JposPeer peer, String stan) throws Exception {
		peer.channel().send(Iso8583CodecTests.message("0200", stan, "JPOS0001"));
		await().atMost(Duration.ofSeconds(5)).until(() -> peer.hasReceived(JposPeer.message("0210", stan)));
	}

}

package dev.dualsocket.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.Sockets;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.ASCIIChannel;
import org.jpos.iso.packager.ISO87APackager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our client endpoint against two jPOS {@code ISOServer}s with {@code ASCIIChannel}s: port A takes our outbound
 * connection, port B our inbound one.
 */
class JposServerInteropTests {

	private static final ISO87APackager PACKAGER = new ISO87APackager();

	private final Bed bed = new Bed();

	private final int portA = Sockets.freePort();

	private final int portB = Sockets.freePort();

	private JposPeer serverA;

	private JposPeer serverB;

	private DualSocketLink link;

	@BeforeEach
	void linkUp() throws Exception {
		this.serverA = JposPeer.server(this.portA, new ASCIIChannel(PACKAGER));
		this.serverB = JposPeer.server(this.portB, new ASCIIChannel(PACKAGER));
		Iso8583Protocol protocol = new Iso8583Protocol(
				Iso8583Settings.of(PACKAGER).withHeader(LengthHeader.ASCII_4));
		ClientEndpoint client = this.bed.client("iso-client", this.portA, this.portB, protocol);
		client.setRequestHandler((request) -> {
			ISOMsg message = (ISOMsg) protocol.getPayloadCodec().decode(request.payload(), ISOMsg.class);
			ISOMsg answer = Iso8583CodecTests.answer(message, "00");
			return protocol.getPayloadCodec().encode(answer);
		});
		client.start();
		this.link = client.link("link-1");
		Bed.awaitNormal(this.link);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.serverB.channel() != null);
	}

	@AfterEach
	void close() {
		this.bed.close();
		this.serverA.close();
		this.serverB.close();
	}

	@Test
	void ourRequestGetsJposAnswer() throws Exception {
		Bed.assertAnswered(this.link, "000001");
	}

	@Test
	void jposRequestOnTheInboundConnectionGetsOurAnswer() throws Exception {
		this.serverB.channel().send(Iso8583CodecTests.message("0200", "100001", "JPOS0001"));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.serverB.hasReceived(JposPeer.message("0210", "100001")));
		ISOMsg answer = this.serverB.received.stream().filter(JposPeer.message("0210", "100001")).findFirst().get();
		assertThat(answer.getString(39)).isEqualTo("00");
		assertThat(answer.getString(41)).isEqualTo("JPOS0001");
	}

	@Test
	void echoTestsFlowBothWaysAsHeartbeats() throws Exception {
		// Several heartbeat timeouts (1 s) without application traffic: the echo tests alone keep the link up.
		await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5))
			.until(() -> this.link.getState() == LinkState.NORMAL);
		assertThat(this.serverA.received.stream().filter(JposPeer.echoTest())).hasSizeGreaterThan(5);
		assertThat(this.serverB.received.stream().filter(JposPeer.echoTest())).hasSizeGreaterThan(5);
		assertThat(this.link.snapshot().outbound().connects()).isOne();
		assertThat(this.link.snapshot().inbound().connects()).isOne();

		ISOMsg echo = new ISOMsg("0800");
		echo.set(7, "1202120000");
		echo.set(11, "300001");
		echo.set(70, "301");
		this.serverB.channel().send(echo);
		this.serverA.channel().send(echo);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.serverB.hasReceived(JposPeer.message("0810", "300001"))
				&& this.serverA.hasReceived(JposPeer.message("0810", "300001")));
		assertThat(this.serverB.received.stream().filter(JposPeer.message("0810", "300001")).findFirst().get()
			.getString(39)).isEqualTo("00");
	}

	@Test
	void aKilledInboundConnectionIsRecoveredByFigure5AndTheOutboundOneKept() throws Exception {
		String outboundBefore = this.link.snapshot().outbound().localAddress();
		this.bed.clearEvents();

		KernelFaults.kill(Sockets.localPort(this.link.snapshot().inbound()), this.portB);

		Bed.awaitRecovered(this.link, SocketRole.INBOUND);
		assertThat(this.bed.stateChanges("iso-client")).isNotEmpty().allSatisfy((change) -> {
			assertThat(change.getProcedure()).isEqualTo(RecoveryProcedure.CLIENT_INBOUND);
			assertThat(change.getSocket()).isEqualTo(SocketRole.INBOUND);
		});
		assertThat(this.link.snapshot().outbound().localAddress()).isEqualTo(outboundBefore);
		assertThat(this.link.snapshot().outbound().connects()).isOne();
		Bed.assertAnswered(this.link, "000002");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.serverB.channel() != null
				&& this.serverB.channel().isConnected());
	}

	@Test
	void aKilledOutboundConnectionIsRecoveredByFigure6AndTheInboundOneKept() throws Exception {
		String inboundBefore = this.link.snapshot().inbound().localAddress();
		this.bed.clearEvents();

		KernelFaults.kill(Sockets.localPort(this.link.snapshot().outbound()), this.portA);

		Bed.awaitRecovered(this.link, SocketRole.OUTBOUND);
		assertThat(this.bed.stateChanges("iso-client")).extracting(LinkStateChangedEvent::getProcedure)
			.isNotEmpty()
			.containsOnly(RecoveryProcedure.CLIENT_OUTBOUND);
		assertThat(this.link.snapshot().inbound().localAddress()).isEqualTo(inboundBefore);
		assertThat(this.link.snapshot().inbound().connects()).isOne();
		Bed.assertAnswered(this.link, "000003");
	}

	@Test
	void aRequestInFlightOnAKilledOutboundConnectionFailsAndIsNotSentAgain() throws Exception {
		CompletableFuture<ISOMsg> held = this.link.request(
				Iso8583CodecTests.message("0200", JposPeer.UNANSWERED, "TERM0001"), ISOMsg.class);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.serverA.hasReceived(JposPeer.message("0200", JposPeer.UNANSWERED)));

		// The same MTI and key fields while the first is in flight: not sent, failed at once.
		assertThatThrownBy(() -> this.link.request(Iso8583CodecTests.message("0200", JposPeer.UNANSWERED, "TERM0001"),
				ISOMsg.class).get(5, TimeUnit.SECONDS))
			.cause()
			.isInstanceOf(RemoteRequestException.class)
			.hasMessageContaining("not sent: a request with the same MTI and key fields");

		KernelFaults.kill(Sockets.localPort(this.link.snapshot().outbound()), this.portA);

		assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(LinkDisconnectedException.class);
		Bed.awaitRecovered(this.link, SocketRole.OUTBOUND);
		assertThat(this.serverA.received.stream().filter(JposPeer.message("0200", JposPeer.UNANSWERED))).hasSize(1);
	}

}

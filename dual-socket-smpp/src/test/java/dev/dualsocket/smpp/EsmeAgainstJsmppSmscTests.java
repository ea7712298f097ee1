package dev.dualsocket.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.link.SocketSnapshot;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.Sockets;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliverSmResp;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSmResp;
import org.jsmpp.bean.TypeOfNumber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our client endpoint as an ESME against jSMPP's SMSC over real sockets on 127.0.0.1: the two binds, submit_sm,
 * deliver_sm, enquire_link as the heartbeat, and the re-bind of one socket after the kernel destroyed it.
 */
class EsmeAgainstJsmppSmscTests {

	/** Heartbeat every 200 ms, failed after 600 ms of silence, as the engine's own tests run. */
	static final LinkSettings FAST = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(200), Duration.ofMillis(600))
		.requestTimeout(Duration.ofSeconds(10))
		.connectTimeout(Duration.ofSeconds(2))
		.reconnect(5, Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
		.afterDisconnect(true, Duration.ofMillis(200), LinkSettings.AfterDisconnect.UNLIMITED)
		.recovery(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(10))
		.build();

	private final TransportResources transport = TransportResources.create(TransportSettings.defaults());

	private final List<DualSocketEvent> events = new CopyOnWriteArrayList<>();

	private final List<DeliverSm> delivered = new CopyOnWriteArrayList<>();

	private final SmppPayloadCodec codec = new SmppPayloadCodec();

	private Smsc smsc;

	private ClientEndpoint esme;

	private DualSocketLink link;

	@BeforeEach
	void bind() throws Exception {
		this.smsc = new Smsc();
		EndpointSettings settings = EndpointSettings.client("esme", "127.0.0.1", this.smsc.port, "esme-1", FAST)
			.withProtocol(new SmppProtocol(SmppSettings.client("secret", "dstest")));
		this.esme = new ClientEndpoint(settings, this.transport, this.events::add);
		this.esme.setRequestHandler((request) -> {
			this.delivered.add((DeliverSm) this.codec.decode(request.payload(), DeliverSm.class));
			return this.codec.encode(new DeliverSmResp());
		});
		this.esme.start();
		this.link = this.esme.link("esme-1");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.link.getState() == LinkState.NORMAL
				&& this.smsc.receivers.size() == 1 && this.smsc.transmitters.size() == 1);
	}

	@AfterEach
	void close() throws Exception {
		if (this.esme != null) {
			this.esme.stop(Duration.ZERO);
		}
		this.transport.close();
		this.smsc.close();
	}

	@Test
	void bindsTransmitterAndReceiverSubmitsReceivesAndKeepsTheLinkUpOnEnquireLink() throws Exception {
		assertThat(this.smsc.binds).extracting(Smsc.Bound::type)
			.containsExactlyInAnyOrder(BindType.BIND_TX, BindType.BIND_RX);
		assertThat(this.smsc.binds).allSatisfy((bind) -> {
			assertThat(bind.systemId()).isEqualTo("esme-1");
			assertThat(bind.password()).isEqualTo("secret");
			assertThat(bind.systemType()).isEqualTo("dstest");
		});

		SubmitSmResp resp = this.esme.request(SmppCodecTests.submit("hello"), SubmitSmResp.class).get(5, TimeUnit.SECONDS);
		assertThat(resp.getCommandStatus()).isZero();
		assertThat(resp.getMessageId()).isEqualTo("m1");
		assertThat(this.smsc.submitted).singleElement()
			.satisfies((submit) -> assertThat(new String(submit.getShortMessage(), StandardCharsets.US_ASCII))
				.isEqualTo("hello"));

		deliver("first");
		assertThat(this.delivered).extracting((deliver) -> new String(deliver.getShortMessage(), StandardCharsets.US_ASCII))
			.containsExactly("first");

		// Five heartbeat timeouts with no traffic but enquire_link: the link stays as it is.
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
			.until(() -> this.link.getState() == LinkState.NORMAL);
		assertThat(this.events).filteredOn(SocketFailedEvent.class::isInstance).isEmpty();
		assertThat(this.link.snapshot().outbound().connects()).isEqualTo(1);
		assertThat(this.link.snapshot().inbound().connects()).isEqualTo(1);
	}

	@Test
	void rebindsTheReceiverAfterTheKernelKillsItAndThenTheTransmitter() throws Exception {
		KernelFaults.assumeAvailable();
		String transmitterBefore = this.link.snapshot().outbound().localAddress();
		this.events.clear();

		KernelFaults.kill(Sockets.localPort(this.link.snapshot().inbound()), this.smsc.port);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.link.getState() == LinkState.NORMAL
				&& this.link.snapshot().inbound().connects() == 2 && this.smsc.receivers.size() == 2);
		assertThat(stateChanges()).isNotEmpty()
			.extracting(LinkStateChangedEvent::getProcedure)
			.containsOnly(RecoveryProcedure.CLIENT_INBOUND);
		assertThat(this.link.snapshot().outbound().localAddress()).isEqualTo(transmitterBefore);
		assertThat(this.link.snapshot().outbound().connects()).isEqualTo(1);
		assertThat(this.smsc.binds).extracting(Smsc.Bound::type)
			.containsExactlyInAnyOrder(BindType.BIND_TX, BindType.BIND_RX, BindType.BIND_RX);
		deliver("after the receiver was re-bound");
		assertThat(this.delivered).hasSize(1);

		String receiverBefore = this.link.snapshot().inbound().localAddress();
		this.events.clear();

		KernelFaults.kill(Sockets.localPort(this.link.snapshot().outbound()), this.smsc.port);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.link.getState() == LinkState.NORMAL
				&& this.link.snapshot().outbound().connects() == 2 && this.smsc.transmitters.size() == 2);
		assertThat(stateChanges()).isNotEmpty()
			.extracting(LinkStateChangedEvent::getProcedure)
			.containsOnly(RecoveryProcedure.CLIENT_OUTBOUND);
		assertThat(this.link.snapshot().inbound().localAddress()).isEqualTo(receiverBefore);
		SubmitSmResp resp = this.esme.request(SmppCodecTests.submit("after"), SubmitSmResp.class).get(5, TimeUnit.SECONDS);
		assertThat(resp.getMessageId()).isEqualTo("m1");
		assertThat(socketFailures()).extracting(SocketFailedEvent::getSocket).containsExactly(SocketRole.OUTBOUND);
	}

	/** Delivers from the SMSC's newest receiver session; returns once our deliver_sm_resp came back. */
	private void deliver(String text) throws Exception {
		this.smsc.receiver().deliverShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, "5678",
				TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, "1234", new ESMClass(), (byte) 0, (byte) 0,
				new RegisteredDelivery(), DataCodings.ZERO, text.getBytes(StandardCharsets.US_ASCII));
	}

	private List<LinkStateChangedEvent> stateChanges() {
		this.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
		return this.events.stream().filter(LinkStateChangedEvent.class::isInstance)
			.map(LinkStateChangedEvent.class::cast).toList();
	}

	private List<SocketFailedEvent> socketFailures() {
		this.transport.eventThreads().awaitDelivered(Duration.ofSeconds(5));
		return this.events.stream().filter(SocketFailedEvent.class::isInstance).map(SocketFailedEvent.class::cast).toList();
	}

}

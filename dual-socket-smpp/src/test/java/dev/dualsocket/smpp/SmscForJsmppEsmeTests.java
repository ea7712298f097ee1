package dev.dualsocket.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliverSmResp;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.SubmitSmResp;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitSmResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our server endpoint as the SMSC of jSMPP's ESME, which binds a transmitter and a receiver with one system_id.
 */
class SmscForJsmppEsmeTests {

	private final TransportResources transport = TransportResources.create(TransportSettings.defaults());

	private final SmppPayloadCodec codec = new SmppPayloadCodec();

	private final List<SubmitSm> submitted = new CopyOnWriteArrayList<>();

	private final List<DeliverSm> delivered = new CopyOnWriteArrayList<>();

	private final List<SMPPSession> sessions = new CopyOnWriteArrayList<>();

	private ServerEndpoint smsc;

	@BeforeEach
	void listen() {
		EndpointSettings settings = EndpointSettings.server("smsc", "127.0.0.1", 0, EsmeAgainstJsmppSmscTests.FAST)
			.withProtocol(new SmppProtocol(SmppSettings.server(Map.of("esme-2", "pw2"), "our-smsc")));
		this.smsc = new ServerEndpoint(settings, this.transport, (event) -> {
		});
		this.smsc.setRequestHandler((request) -> {
			this.submitted.add((SubmitSm) this.codec.decode(request.payload(), SubmitSm.class));
			SubmitSmResp resp = new SubmitSmResp();
			resp.setMessageId("s" + this.submitted.size());
			return this.codec.encode(resp);
		});
		this.smsc.start();
	}

	@AfterEach
	void close() {
		this.sessions.forEach(SMPPSession::unbindAndClose);
		this.smsc.stop(Duration.ZERO);
		this.transport.close();
	}

	@Test
	void aTransmitterAndAReceiverOfOneSystemIdAreOneLinkBothWays() throws Exception {
		SMPPSession transmitter = bind(BindType.BIND_TX, "pw2");
		SMPPSession receiver = new SMPPSession();
		receiver.setMessageReceiverListener(new Receiver());
		this.sessions.add(receiver);
		receiver.connectAndBind("127.0.0.1", this.smsc.getLocalAddress().getPort(), parameters(BindType.BIND_RX, "pw2"));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.smsc.findLink("esme-2").map((link) -> link.getState() == LinkState.NORMAL).orElse(false));

		SubmitSmResult result = transmitter.submitShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN,
				"1234", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, "5678", new ESMClass(), (byte) 0, (byte) 0,
				null, null, new RegisteredDelivery(), (byte) 0, DataCodings.ZERO, (byte) 0,
				"to the handset".getBytes(StandardCharsets.US_ASCII));
		assertThat(result.getMessageId()).isEqualTo("s1");
		assertThat(this.submitted).singleElement()
			.satisfies((submit) -> assertThat(submit.getDestAddress()).isEqualTo("5678"));

		DualSocketLink link = this.smsc.link("esme-2");
		DeliverSmResp resp = link.request(SmppCodecTests.deliver("from the handset"), DeliverSmResp.class)
			.get(5, TimeUnit.SECONDS);
		assertThat(resp.getCommandStatus()).isZero();
		assertThat(this.delivered).singleElement()
			.satisfies((deliver) -> assertThat(new String(deliver.getShortMessage(), StandardCharsets.US_ASCII))
				.isEqualTo("from the handset"));
	}

	@Test
	void aWrongPasswordIsRefusedWithInvalidPassword() {
		SMPPSession session = new SMPPSession();
		assertThatThrownBy(() -> session.connectAndBind("127.0.0.1", this.smsc.getLocalAddress().getPort(),
				parameters(BindType.BIND_TX, "wrong")))
			.satisfies((ex) -> assertThat(negative(ex).getCommandStatus()).isEqualTo(0x0e));
	}

	@Test
	void aTransceiverIsRefusedWithBindFailed() {
		SMPPSession session = new SMPPSession();
		assertThatThrownBy(() -> session.connectAndBind("127.0.0.1", this.smsc.getLocalAddress().getPort(),
				parameters(BindType.BIND_TRX, "pw2")))
			.satisfies((ex) -> assertThat(negative(ex).getCommandStatus()).isEqualTo(0x0d));
	}

	private SMPPSession bind(BindType type, String password) throws Exception {
		SMPPSession session = new SMPPSession();
		this.sessions.add(session);
		session.connectAndBind("127.0.0.1", this.smsc.getLocalAddress().getPort(), parameters(type, password));
		return session;
	}

	private static BindParameter parameters(BindType type, String password) {
		return new BindParameter(type, "esme-2", password, "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN,
				null);
	}

	private static NegativeResponseException negative(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NegativeResponseException negative) {
				return negative;
			}
		}
		throw new AssertionError("no NegativeResponseException in " + failure, failure);
	}

	private final class Receiver implements MessageReceiverListener {

		@Override
		public void onAcceptDeliverSm(DeliverSm deliverSm) {
			SmscForJsmppEsmeTests.this.delivered.add(deliverSm);
		}

		@Override
		public void onAcceptAlertNotification(AlertNotification alertNotification) {
		}

		@Override
		public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) {
			return null;
		}

	}

}

package dev.dualsocket.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.iso8583.Iso8583PayloadCodec;
import dev.dualsocket.listener.DualSocketListener;
import dev.dualsocket.smpp.SmppPayloadCodec;
import dev.dualsocket.test.Sockets;
import io.micrometer.core.instrument.MeterRegistry;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliverSmResp;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.SubmitSmResp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ISO 8583 and SMPP bindings configured through properties, in one application with an endpoint of each role for
 * each: listeners chosen by the protocol's message kind and fed its own objects, {@code request(...)}, Spring events,
 * meters and a real HTTP call to {@code /actuator/health}, the same as for this project's protocol.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = ProtocolBindingsIntegrationTests.App.class,
		properties = { "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always",
				"dual-socket.defaults.heartbeat.interval=200ms", "dual-socket.defaults.heartbeat.timeout=1s",
				"dual-socket.endpoints.host.role=server", "dual-socket.endpoints.host.host=127.0.0.1",
				"dual-socket.endpoints.host.protocol=iso8583", "dual-socket.endpoints.host.link-id=acquirer-1",
				"dual-socket.endpoints.host.iso8583.packager=classpath:packager/iso87binary.xml",
				"dual-socket.endpoints.acquirer.role=client", "dual-socket.endpoints.acquirer.host=127.0.0.1",
				"dual-socket.endpoints.acquirer.protocol=iso8583", "dual-socket.endpoints.acquirer.link-id=acquirer-1",
				"dual-socket.endpoints.acquirer.iso8583.packager=classpath:packager/iso87binary.xml",
				"dual-socket.endpoints.acquirer.iso8583.length-header=binary-2",
				"dual-socket.endpoints.smsc.role=server", "dual-socket.endpoints.smsc.host=127.0.0.1",
				"dual-socket.endpoints.smsc.port=0", "dual-socket.endpoints.smsc.protocol=smpp",
				"dual-socket.endpoints.smsc.smpp.accounts.esme01.password=pw01",
				"dual-socket.endpoints.esme.role=client", "dual-socket.endpoints.esme.host=127.0.0.1",
				"dual-socket.endpoints.esme.protocol=smpp", "dual-socket.endpoints.esme.link-id=esme01",
				"dual-socket.endpoints.esme.smpp.password=pw01" })
class ProtocolBindingsIntegrationTests {

	private static final int HOST_PORT = Sockets.freePort();

	private static final int HOST_INBOUND_PORT = Sockets.freePort();

	private static final int SMSC_PORT = Sockets.freePort();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("acquirer")
	DualSocketEndpoint acquirer;

	@Autowired
	@Qualifier("host")
	DualSocketEndpoint host;

	@Autowired
	@Qualifier("esme")
	DualSocketEndpoint esme;

	@Autowired
	@Qualifier("smsc")
	DualSocketEndpoint smsc;

	@Autowired
	App app;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("dual-socket.endpoints.host.port", () -> HOST_PORT);
		registry.add("dual-socket.endpoints.host.inbound-port", () -> HOST_INBOUND_PORT);
		registry.add("dual-socket.endpoints.acquirer.port", () -> HOST_PORT);
		registry.add("dual-socket.endpoints.acquirer.inbound-port", () -> HOST_INBOUND_PORT);
		registry.add("dual-socket.endpoints.esme.port", () -> SMSC_PORT);
		registry.add("dual-socket.endpoints.smsc.port", () -> SMSC_PORT);
	}

	@Test
	void theBindingsComeFromThePropertiesAndTheirLinksComeUp() {
		// Each keeps its protocol's codec, not the application's codec bean.
		assertThat(this.acquirer.getPayloadCodec()).isInstanceOf(Iso8583PayloadCodec.class);
		assertThat(this.host.getPayloadCodec()).isInstanceOf(Iso8583PayloadCodec.class);
		assertThat(this.esme.getPayloadCodec()).isInstanceOf(SmppPayloadCodec.class);
		assertThat(this.smsc.getPayloadCodec()).isInstanceOf(SmppPayloadCodec.class);
		assertThat(((ServerEndpoint) this.host).getInboundLocalAddress().getPort()).isEqualTo(HOST_INBOUND_PORT);
		awaitNormal();
	}

	@Test
	void iso8583RequestsGoBothWaysToListenersChosenByTheirMti() throws Exception {
		awaitNormal();
		ISOMsg authorization = message("0200", "000001");

		ISOMsg answer = this.acquirer.request(authorization, ISOMsg.class).get(5, TimeUnit.SECONDS);

		assertThat(answer.getMTI()).isEqualTo("0210");
		assertThat(answer.getString(11)).isEqualTo("000001");
		assertThat(answer.getString(39)).isEqualTo("00");
		ISOMsg reversal = this.host.link("acquirer-1")
			.request(message("0420", "000002"), ISOMsg.class)
			.get(5, TimeUnit.SECONDS);
		assertThat(reversal.getMTI()).isEqualTo("0430");
		assertThat(reversal.getString(39)).isEqualTo("00");
		assertThat(this.app.isoSeen).contains("host 0200", "acquirer 0420");
	}

	@Test
	void smppSubmitAndDeliverReachListenersChosenByTheirCommand() throws Exception {
		awaitNormal();

		SubmitSmResp submitted = this.esme.request(submit("hello"), SubmitSmResp.class).get(5, TimeUnit.SECONDS);
		DeliverSmResp delivered = this.smsc.link("esme01").request(deliver("hi back"), DeliverSmResp.class)
			.get(5, TimeUnit.SECONDS);

		assertThat(submitted.getMessageId()).isEqualTo("msg-1");
		assertThat(delivered.getCommandStatus()).isZero();
		assertThat(this.app.smppSeen).contains("smsc submit_sm hello", "esme deliver_sm hi back");
	}

	@Test
	void healthEventsAndMetersAreTheSameForEveryBinding() throws Exception {
		awaitNormal();
		this.esme.request(submit("counted"), SubmitSmResp.class).get(5, TimeUnit.SECONDS);
		this.acquirer.request(message("0200", "000003"), ISOMsg.class).get(5, TimeUnit.SECONDS);

		String json = new ActuatorHttp(this.port).get("/actuator/health").body();

		for (String endpoint : List.of("acquirer", "esme")) {
			assertThat((String) JsonPath.read(json, "$.components.dualSocket.components." + endpoint + ".status"))
				.isEqualTo("UP");
		}
		assertThat((String) JsonPath.read(json, "$.components.dualSocket.components.host.components.acquirer-1.status"))
			.isEqualTo("UP");
		assertThat((String) JsonPath.read(json, "$.components.dualSocket.components.smsc.components.esme01.status"))
			.isEqualTo("UP");
		assertThat(this.app.normal).contains("acquirer", "host", "esme", "smsc");
		for (String endpoint : List.of("acquirer", "esme")) {
			assertThat(this.meters.find("dualsocket.requests").tag("endpoint", endpoint).tag("direction", "outbound")
				.timers()).as("request timers of %s", endpoint).isNotEmpty();
		}
	}

	private void awaitNormal() {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.acquirer.link("acquirer-1").getState() == LinkState.NORMAL
					&& this.esme.link("esme01").getState() == LinkState.NORMAL
					&& this.host.findLink("acquirer-1").map((link) -> link.getState() == LinkState.NORMAL).orElse(false)
					&& this.smsc.findLink("esme01").map((link) -> link.getState() == LinkState.NORMAL).orElse(false));
	}

	private static ISOMsg message(String mti, String stan) throws ISOException {
		ISOMsg message = new ISOMsg(mti);
		message.set(3, "000000");
		message.set(4, "000000001000");
		message.set(11, stan);
		message.set(41, "TERM0001");
		return message;
	}

	private static SubmitSm submit(String text) {
		SubmitSm submit = new SubmitSm();
		submit.setSourceAddr("1234");
		submit.setDestAddress("5678");
		submit.setShortMessage(text.getBytes(StandardCharsets.US_ASCII));
		return submit;
	}

	private static DeliverSm deliver(String text) {
		DeliverSm deliver = new DeliverSm();
		deliver.setSourceAddr("5678");
		deliver.setDestAddress("1234");
		deliver.setShortMessage(text.getBytes(StandardCharsets.US_ASCII));
		return deliver;
	}

	private static ISOMsg answer(ISOMsg request) throws ISOException {
		ISOMsg response = (ISOMsg) request.clone();
		response.setResponseMTI();
		response.set(39, "00");
		return response;
	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

		final List<String> isoSeen = new CopyOnWriteArrayList<>();

		final List<String> smppSeen = new CopyOnWriteArrayList<>();

		final List<String> normal = new CopyOnWriteArrayList<>();

		@DualSocketListener(value = "host", type = "0200")
		ISOMsg onAuthorization(ISOMsg request) throws ISOException {
			this.isoSeen.add("host " + request.getMTI());
			return answer(request);
		}

		@DualSocketListener(value = "host", type = "0800")
		ISOMsg onNetworkManagement(ISOMsg request) throws ISOException {
			return answer(request);
		}

		@DualSocketListener(value = "acquirer", type = "0420")
		ISOMsg onReversal(ISOMsg request) throws ISOException {
			this.isoSeen.add("acquirer " + request.getMTI());
			return answer(request);
		}

		@DualSocketListener(value = "acquirer", type = "0800")
		ISOMsg onAcquirerNetworkManagement(ISOMsg request) throws ISOException {
			return answer(request);
		}

		@DualSocketListener(value = "smsc", type = "submit_sm")
		SubmitSmResp onSubmit(SubmitSm submit) {
			this.smppSeen.add("smsc submit_sm " + new String(submit.getShortMessage(), StandardCharsets.US_ASCII));
			SubmitSmResp resp = new SubmitSmResp();
			resp.setMessageId("msg-1");
			return resp;
		}

		@DualSocketListener(value = "esme", type = "deliver_sm")
		DeliverSmResp onDeliver(DeliverSm deliver) {
			this.smppSeen.add("esme deliver_sm " + new String(deliver.getShortMessage(), StandardCharsets.US_ASCII));
			return new DeliverSmResp();
		}

		@EventListener
		void onStateChange(LinkStateChangedEvent change) {
			if (change.getTo() == LinkState.NORMAL) {
				this.normal.add(change.getEndpoint());
			}
		}

	}

}

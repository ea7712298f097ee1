package dev.dualsocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.test.KernelFaults.VethPair;
import dev.dualsocket.test.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A server that listens on an address other than loopback with neither TLS nor authentication says so at start-up
 * (section 9 of the protocol); one that authenticates, or listens on loopback, does not. The address beyond loopback
 * is one end of a veth pair whose other end is in a network namespace of its own, so nothing outside the test can
 * reach it; without root the test skips.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlainListenerWarningTests {

	private static final String ADDRESS = "10.213.83.1";

	private static final String WARNING = "with neither TLS nor authentication";

	private VethPair veth;

	private final TestBed bed = new TestBed();

	@BeforeEach
	void createInterface() {
		this.veth = KernelFaults.vethPairOrSkip("dsw", ADDRESS);
	}

	@AfterEach
	void close() throws java.io.IOException {
		this.bed.close();
		if (this.veth != null) {
			this.veth.close();
		}
	}

	@Test
	void plainServerBeyondLoopbackWarns(CapturedOutput output) {
		this.bed.server(EndpointSettings.server("exposed", ADDRESS, 0, TestBed.FAST));

		assertThat(output).contains("Endpoint 'exposed' listens on /" + ADDRESS).contains(WARNING)
			.contains("dual-socket.endpoints.exposed.auth.secret");
	}

	@Test
	void authenticatingServerBeyondLoopbackAndPlainServerOnLoopbackDoNotWarn(CapturedOutput output) {
		this.bed.server(EndpointSettings.server("guarded", ADDRESS, 0, TestBed.FAST)
			.withAuth(LinkAuthentication.secret("a secret of the guarded endpoint")));
		this.bed.server("local", TestBed.FAST);

		assertThat(output).contains("Endpoint 'guarded' (server) listening on /" + ADDRESS)
			.contains("Endpoint 'local' (server) listening on /127.0.0.1")
			.doesNotContain(WARNING);
	}

}

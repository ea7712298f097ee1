package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.test.TestBed;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On epoll, every connection of a link carries the kernel's help with silent peers: {@code TCP_USER_TIMEOUT} equal to
 * the heartbeat timeout, and keepalive probes that start after it, on both sides.
 */
class KernelTimeoutsTests {

	private static final LinkSettings SETTINGS = LinkSettings.builder()
		.heartbeat(Duration.ofMillis(700), Duration.ofMillis(2500))
		.build();

	private final TestBed bed = new TestBed();

	@AfterEach
	void close() {
		this.bed.close();
	}

	@Test
	void everyConnectionHasTheUserTimeoutOfTheHeartbeatTimeout() {
		assumeTrue(this.bed.transport.isNativeTransport(), "the native epoll transport is not available here");
		ServerEndpoint server = this.bed.server("server", SETTINGS);
		Link client = (Link) this.bed.client("client", "link-1", server.getLocalAddress().getPort(), SETTINGS)
			.link("link-1");
		TestBed.awaitNormal(client);
		Link serverLink = (Link) TestBed.awaitServerLink(server, "link-1");
		for (Link end : new Link[] { client, serverLink }) {
			for (SocketRole role : SocketRole.values()) {
				Channel channel = end.channel(role);
				assertThat(channel).as(end.getEndpointName() + " " + role).isNotNull();
				assertThat(channel.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT)).isEqualTo(2500);
				assertThat(channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isEqualTo(2);
				assertThat(channel.config().getOption(EpollChannelOption.TCP_KEEPCNT)).isEqualTo(3);
			}
		}
	}

}

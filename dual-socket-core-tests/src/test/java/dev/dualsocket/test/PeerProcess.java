package dev.dualsocket.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.DualSocketEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * A peer in a process of its own, so that a test can kill it (SIGKILL, as a crash) and start it again: one endpoint,
 * client or server, driven by lines on standard input and reporting on standard output, one line per fact.
 *
 * <p>Arguments: {@code client|server port linkId}. Commands: {@code send <prefix> <count>} sends {@code count}
 * requests with the payloads {@code <prefix>-0 ...} on the link and reports each outcome as {@code OK <payload>
 * <response>} or {@code FAIL <payload> <exception type>}; {@code release} lets the handlers of {@code slow-}
 * payloads finish. Its handler reports {@code RAN <payload>} and answers {@code answer:<payload>}. State changes
 * are reported as {@code STATE <state>}; {@code READY <port>} once the endpoint started.
 */
public final class PeerProcess {

	/** Timing for the process peers: fast failure detection, a socket re-connect budget of several seconds. */
	public static final LinkSettings SETTINGS = TestBed.FAST.toBuilder()
		.reconnect(20, Duration.ofMillis(50), 2.0, Duration.ofMillis(400))
		.build();

	private PeerProcess() {
	}

	public static void main(String[] args) throws Exception {
		PrintStream out = new PrintStream(System.out, true, UTF_8);
		String role = args[0];
		int port = Integer.parseInt(args[1]);
		String linkId = args[2];
		CountDownLatch release = new CountDownLatch(1);
		TransportResources transport = TransportResources.create(TransportSettings.defaults());
		DualSocketEndpoint endpoint;
		if (role.equals("server")) {
			endpoint = new ServerEndpoint(EndpointSettings.server("peer", "127.0.0.1", port, SETTINGS), transport,
					(event) -> report(out, event));
		}
		else {
			endpoint = new ClientEndpoint(EndpointSettings.client("peer", "127.0.0.1", port, linkId, SETTINGS), transport,
					(event) -> report(out, event));
		}
		endpoint.setRequestHandler((request) -> {
			String payload = new String(request.payload(), UTF_8);
			out.println("RAN " + payload);
			if (payload.startsWith("slow-")) {
				release.await();
			}
			return ("answer:" + payload).getBytes(UTF_8);
		});
		endpoint.start();
		out.println("READY " + ((endpoint instanceof ServerEndpoint server) ? server.getLocalAddress().getPort() : port));
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, UTF_8));
		String line;
		while ((line = commands.readLine()) != null) {
			String[] words = line.split(" ");
			if (words[0].equals("release")) {
				release.countDown();
			}
			else if (words[0].equals("send")) {
				for (int i = 0; i < Integer.parseInt(words[2]); i++) {
					String payload = words[1] + "-" + i;
					CompletableFuture<byte[]> response = endpoint.link(linkId).request(payload.getBytes(UTF_8));
					response.whenComplete((bytes, failure) -> out.println((failure == null)
							? "OK " + payload + " " + new String(bytes, UTF_8)
							: "FAIL " + payload + " " + rootCause(failure).getClass().getSimpleName()));
				}
				out.println("SENT " + words[1]);
			}
		}
		endpoint.stop(Duration.ZERO);
		transport.close();
	}

	private static void report(PrintStream out, Object event) {
		if (event instanceof LinkStateChangedEvent change) {
			out.println("STATE " + change.getTo());
		}
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause != cause.getCause()) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Starts a peer process on the test's own class path.
	 * @param role {@code client} or {@code server}
	 * @param port the port to connect to or listen on (0: a free one, reported by {@code READY})
	 * @param linkId the link id
	 * @return the running process
	 */
	public static JavaProcess start(String role, int port, String linkId) throws IOException {
		return JavaProcess.start(PeerProcess.class, java.util.List.of("-Xmx128m"),
				java.util.List.of(role, String.valueOf(port), linkId), false);
	}

}

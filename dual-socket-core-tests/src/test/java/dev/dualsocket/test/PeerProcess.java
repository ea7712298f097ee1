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
	 * A running peer process, seen from the test: its output lines as they come, and commands to it.
	 */
	public static final class Handle implements AutoCloseable {

		private final Process process;

		private final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final PrintStream commands;

		private Handle(Process process) {
			this.process = process;
			this.commands = new PrintStream(process.getOutputStream(), true, UTF_8);
			Thread reader = new Thread(() -> {
				try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
					String line;
					while ((line = output.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// the process died; what it said is kept
				}
			}, "peer-process-output");
			reader.setDaemon(true);
			reader.start();
		}

		/**
		 * Starts a peer process on the test's own class path.
		 */
		public static Handle start(String role, int port, String linkId) throws IOException {
			String java = ProcessHandle.current().info().command().orElse("java");
			Process process = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
					PeerProcess.class.getName(), role, String.valueOf(port), linkId)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			return new Handle(process);
		}

		public java.util.List<String> lines() {
			return this.lines;
		}

		/** The lines that start with the given word, without it. */
		public java.util.List<String> lines(String word) {
			return this.lines.stream()
				.filter((line) -> line.startsWith(word + " "))
				.map((line) -> line.substring(word.length() + 1))
				.toList();
		}

		public void command(String line) {
			this.commands.println(line);
		}

		/**
		 * The process id.
		 * @return the id
		 */
		public long pid() {
			return this.process.pid();
		}

		/**
		 * Stops the process ({@code SIGSTOP}): it keeps its sockets, its kernel still accepts connections and
		 * acknowledges data, but it runs nothing until {@link #resume()}. Skips the calling test where
		 * {@code kill} cannot be run.
		 */
		public void suspend() throws IOException, InterruptedException {
			signal("STOP");
		}

		/**
		 * Lets a stopped process run again ({@code SIGCONT}).
		 */
		public void resume() throws IOException, InterruptedException {
			signal("CONT");
		}

		private void signal(String signal) throws IOException, InterruptedException {
			Process kill;
			try {
				kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).redirectErrorStream(true).start();
			}
			catch (IOException ex) {
				org.junit.jupiter.api.Assumptions.abort("cannot send SIG" + signal + ": kill is not available here ("
						+ ex.getMessage() + ")");
				throw ex;
			}
			String output = new String(kill.getInputStream().readAllBytes(), UTF_8);
			if (kill.waitFor() != 0) {
				throw new IOException("kill -" + signal + " " + pid() + " failed: " + output.trim());
			}
		}

		/** Kills the process as a crash would: SIGKILL, no orderly close. */
		public void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
		}

		@Override
		public void close() throws InterruptedException {
			// SIGKILL ends a stopped process too.
			kill();
		}

	}

}

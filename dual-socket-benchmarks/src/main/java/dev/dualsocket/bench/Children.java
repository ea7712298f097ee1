package dev.dualsocket.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs started by the benchmark: the single-caller round trip pinned to one CPU with {@code taskset -c 0}, the
 * two sides of the scale scenario, and the restarted peer of the recovery scenario's restart case. A child talks to
 * its parent in lines on standard output.
 */
public final class Children {

	private static final String ROW = "@@row ";

	private static final String DONE = "@@done";

	private Children() {
	}

	static void run(String child, List<String> args, Profile profile) throws Exception {
		switch (child) {
			case "pinned" -> {
				List<Row> rows = ThroughputScenarios.roundTrip(profile.pinnedRound(), profile.pinnedRound(),
						profile.pinnedRounds(), ", pinned (taskset -c 0)", System.out);
				for (Row row : rows) {
					System.out.println(ROW + row.encode());
				}
				System.out.println(DONE);
			}
			case "scale-server" -> ScaleScenario.serverChild(args);
			case "scale-client" -> ScaleScenario.clientChild(args);
			case "restart-peer" -> PeerRestarts.child(args);
			case "ha-instance" -> TakeoverScenario.instanceChild(args);
			default -> throw new IllegalArgumentException("unknown child " + child);
		}
		System.out.flush();
	}

	/** Scenario 1 again, in a child JVM that may only use CPU 0. */
	static List<Row> pinnedRoundTrip(Profile profile, PrintStream progress) throws Exception {
		if (!Files.isExecutable(Path.of("/usr/bin/taskset")) && !Files.isExecutable(Path.of("/bin/taskset"))) {
			progress.println("  taskset is not installed (util-linux); skipped");
			return List.of();
		}
		Child child = start("pinned", List.of(), List.of("taskset", "-c", "0"), profile);
		try {
			List<Row> rows = new ArrayList<>();
			Duration budget = Duration.ofSeconds(120);
			while (true) {
				String line = child.awaitLine("@@", budget);
				if (line.startsWith(DONE)) {
					break;
				}
				rows.add(Row.decode(line.substring(ROW.length())));
			}
			child.process.waitFor(30, TimeUnit.SECONDS);
			return rows;
		}
		finally {
			child.destroy();
		}
	}

	/**
	 * A command prefix that raises the child's limit of open files to at least the given number: {@code sh -c 'ulimit
	 * -n N; exec "$@"'}. The JVM itself lifts its soft limit to the hard one ({@code -XX:+MaxFDLimit}, on by default),
	 * but a hard limit below N takes privileges to raise (root has them); without them the child keeps what it has,
	 * and says so when it finds it too few.
	 * @param files open files the child needs
	 * @return the prefix, or none when this is not a Unix with /bin/sh
	 */
	static List<String> withOpenFiles(int files) {
		if (!Files.isExecutable(Path.of("/bin/sh"))) {
			return List.of();
		}
		return List.of("/bin/sh", "-c", "[ \"$(ulimit -Hn)\" = unlimited ] || [ \"$(ulimit -Hn)\" -ge " + files
				+ " ] || ulimit -n " + files + " 2>/dev/null; exec \"$@\"",
				"sh");
	}

	/**
	 * This JVM's limit of open files.
	 * @return the limit, or {@code Long.MAX_VALUE} when the JVM does not say
	 */
	static long openFileLimit() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
			return unix.getMaxFileDescriptorCount();
		}
		return Long.MAX_VALUE;
	}

	/** Standard input of a child JVM, where its parent's commands come in lines. */
	private static final BufferedReader PARENT = new BufferedReader(
			new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));

	/**
	 * In a child JVM: waits for the parent to send the given line.
	 * @param command the line
	 * @return false when the parent closed the pipe (went away, or wants the child to stop) first
	 */
	static boolean awaitParent(String command) throws IOException {
		String line;
		while ((line = PARENT.readLine()) != null) {
			if (line.trim().equals(command)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Starts {@code java -cp <this classpath> BenchmarkMain --child=<name> <args>} behind an optional command prefix,
	 * with the JVM options this JVM was given (less agents and recordings).
	 */
	static Child start(String name, List<String> args, List<String> prefix, Profile profile) throws IOException {
		List<String> command = new ArrayList<>(prefix);
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
			if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xrunjdwp")
					&& !option.contains("FlightRecord")) {
				command.add(option);
			}
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(BenchmarkMain.class.getName());
		command.add("--child=" + name);
		if (profile.isQuick()) {
			command.add("--quick");
		}
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		return new Child(name, process);
	}

	/** A running child JVM. */
	static final class Child {

		final String name;

		final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		Child(String name, Process process) {
			this.name = name;
			this.process = process;
			Thread reader = new Thread(() -> {
				try (BufferedReader in = BenchmarkMain.reader(process)) {
					String line;
					while ((line = in.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// the child ended
				}
				this.lines.add("\u0000EOF");
			}, "child-" + name + "-reader");
			reader.setDaemon(true);
			reader.start();
		}

		/**
		 * Waits for a line with the given prefix; passes the other lines on as progress, indented.
		 */
		String awaitLine(String prefix, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				long left = deadline - System.nanoTime();
				String line = (left > 0) ? this.lines.poll(left, TimeUnit.NANOSECONDS) : null;
				if (line == null) {
					throw new IllegalStateException("child " + this.name + " said no '" + prefix + "' within " + timeout);
				}
				if (line.equals("\u0000EOF")) {
					throw new IllegalStateException("child " + this.name + " ended (exit "
							+ (this.process.isAlive() ? "?" : this.process.exitValue()) + ") before saying '" + prefix + "'");
				}
				if (line.startsWith(prefix)) {
					return line;
				}
				System.out.println("    " + line);
			}
		}

		/** Sends the child one line on its standard input. */
		void send(String line) throws IOException {
			OutputStream in = this.process.getOutputStream();
			in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}

		/** Asks the child to finish and waits for it. */
		void stop() throws IOException, InterruptedException {
			try {
				OutputStream in = this.process.getOutputStream();
				in.write("stop\n".getBytes(StandardCharsets.UTF_8));
				in.flush();
				in.close();
			}
			catch (IOException ex) {
				// already gone
			}
			this.process.waitFor(30, TimeUnit.SECONDS);
		}

		void destroy() {
			if (this.process.isAlive()) {
				this.process.destroyForcibly();
			}
		}

	}


}

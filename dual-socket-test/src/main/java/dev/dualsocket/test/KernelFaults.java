package dev.dualsocket.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Faults made by the kernel itself: {@code ss -K} destroys one TCP socket, which the application sees as "Software
 * caused connection abort" and its peer as "Connection reset"; a veth pair whose end can be taken down, as a network
 * interface fails. Needs Linux, root and iproute2 ({@code ss} and {@code ip}). Where any is missing, every helper that
 * needs them skips the calling test (a JUnit assumption) with {@link #unavailableReason()}, which names what is
 * missing.
 */
public final class KernelFaults {

	private static final String UNAVAILABLE = probe();

	private KernelFaults() {
	}

	/**
	 * Whether kernel faults can be made here.
	 * @return {@code true} on Linux, as root, with {@code ss} and {@code ip}
	 */
	public static boolean available() {
		return UNAVAILABLE.isEmpty();
	}

	/**
	 * Why kernel faults cannot be made here.
	 * @return the reason, or an empty string if they can
	 */
	public static String unavailableReason() {
		return UNAVAILABLE;
	}

	/**
	 * Skips the calling test, with the reason, unless kernel faults can be made here.
	 */
	public static void assumeAvailable() {
		Assumptions.assumeTrue(available(), KernelFaults::unavailableReason);
	}

	private static String probe() {
		if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
			return "kernel faults (ss -K, veth pairs) need Linux; this is " + System.getProperty("os.name");
		}
		try {
			Result id = run(List.of("id", "-u"));
			if (!id.output.trim().equals("0")) {
				return "kernel faults (ss -K, veth pairs) need root; these tests run as uid " + id.output.trim();
			}
		}
		catch (IOException ex) {
			return "cannot tell whether this runs as root (id -u): " + ex.getMessage();
		}
		for (String tool : List.of("ss", "ip")) {
			try {
				Result version = run(List.of(tool, "-V"));
				if (version.exitCode != 0) {
					return tool + " (iproute2) is not usable: " + version.output.trim();
				}
			}
			catch (IOException ex) {
				return tool + " (iproute2) is not installed: " + ex.getMessage();
			}
		}
		return "";
	}

	/**
	 * Destroys the TCP socket with the given local and remote ports. Java's sockets may be IPv6-mapped, so no
	 * address family is given. Skips the calling test where kernel faults cannot be made.
	 * @param localPort the socket's own port
	 * @param remotePort its peer's port
	 * @throws IllegalStateException if no such socket was destroyed
	 */
	public static void kill(int localPort, int remotePort) {
		assumeAvailable();
		try {
			Result result = run(List.of("ss", "-K", "-t", "-n", "sport", "=", ":" + localPort, "dport", "=",
					":" + remotePort));
			if (result.exitCode != 0 || !result.output.contains("ESTAB")) {
				throw new IllegalStateException("ss -K killed no socket " + localPort + " -> " + remotePort + ": "
						+ result.output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Destroys every established TCP socket on the given port at once, both ends of every connection: the end of
	 * each connection accepted on it ({@code sport}) and the end of each connection made to it ({@code dport}). The
	 * listening socket stays.
	 * @param port a server's port
	 * @return how many sockets were destroyed
	 */
	public static int killAll(int port) {
		try {
			Result result = run(List.of("ss", "-K", "-t", "-n", "state", "established", "(", "sport", "=", ":" + port,
					"or", "dport", "=", ":" + port, ")"));
			int killed = (int) result.output.lines().filter((line) -> line.contains(":" + port)).count();
			if (result.exitCode != 0 || killed == 0) {
				throw new IllegalStateException("ss -K killed no socket on port " + port + ": " + result.output);
			}
			return killed;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Creates a veth pair whose first end, in this namespace, carries {@code address}/30 and is up; the other end
	 * lives in a network namespace created for it. Both are removed by {@link VethPair#close()}. Skips the calling
	 * test where kernel faults cannot be made.
	 * @param name the first end's name (at most 15 characters)
	 * @param address an IPv4 address for the first end
	 * @return the pair
	 * @throws IOException if the kernel refuses (no veth support, no namespaces)
	 */
	public static VethPair vethPair(String name, String address) throws IOException {
		assumeAvailable();
		String namespace = name + "-ns";
		String peer = name + "p";
		VethPair pair = new VethPair(name, peer, namespace);
		try {
			check(run(List.of("ip", "netns", "add", namespace)));
			check(run(List.of("ip", "link", "add", name, "type", "veth", "peer", "name", peer, "netns", namespace)));
			check(run(List.of("ip", "addr", "add", address + "/30", "dev", name)));
			// Both ends up, or the first has no carrier and counts as down (IFF_RUNNING unset).
			check(run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", peer, "up")));
			pair.up();
			return pair;
		}
		catch (IOException ex) {
			pair.close();
			throw ex;
		}
	}

	/**
	 * Creates a veth pair for a test, or skips the test with the reason where that cannot be done here.
	 * @param prefix the start of the first end's name (at most 7 characters); the process id makes it unique
	 * @param address an IPv4 address for the first end
	 * @return the pair
	 */
	public static VethPair vethPairOrSkip(String prefix, String address) {
		return orSkip("a veth interface", () -> vethPair(prefix + (ProcessHandle.current().pid() % 100_000), address));
	}

	/**
	 * Makes something for a test, or skips the test where the kernel refuses.
	 */
	static <T> T orSkip(String what, Creation<T> creation) {
		try {
			return creation.create();
		}
		catch (IOException ex) {
			Assumptions.abort("cannot create " + what + " here: " + ex.getMessage());
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Something a test needs the kernel to make.
	 */
	@FunctionalInterface
	interface Creation<T> {

		T create() throws IOException;

	}

	static void check(Result result) throws IOException {
		if (result.exitCode != 0) {
			throw new IOException(result.output.trim());
		}
	}

	/**
	 * A veth pair made for a test.
	 */
	public static final class VethPair implements AutoCloseable {

		private final String name;

		private final String peer;

		private final String namespace;

		VethPair(String name, String peer, String namespace) {
			this.name = name;
			this.peer = peer;
			this.namespace = namespace;
		}

		/**
		 * The name of the end in this namespace.
		 * @return the interface name
		 */
		public String name() {
			return this.name;
		}

		String peer() {
			return this.peer;
		}

		String namespace() {
			return this.namespace;
		}

		/**
		 * Brings the end in this namespace up.
		 * @throws IOException if {@code ip} refuses
		 */
		public void up() throws IOException {
			check(run(List.of("ip", "link", "set", this.name, "up")));
		}

		/**
		 * Takes the end in this namespace down, as a failing interface: connections bound to its address stop.
		 * @throws IOException if {@code ip} refuses
		 */
		public void down() throws IOException {
			check(run(List.of("ip", "link", "set", this.name, "down")));
		}

		/**
		 * Removes the pair and its namespace.
		 * @throws IOException if {@code ip} cannot be run
		 */
		@Override
		public void close() throws IOException {
			run(List.of("ip", "link", "del", this.name));
			run(List.of("ip", "netns", "del", this.namespace));
		}

	}

	static Result run(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(command + " did not finish");
			}
			return new Result(process.exitValue(), output);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	record Result(int exitCode, String output) {
	}

}

package dev.dualsocket.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Faults made by the kernel itself: {@code ss -K} destroys one TCP socket, which the application sees as "Software
 * caused connection abort" and its peer as "Connection reset". Needs root and the {@code ss} tool (iproute2); tests
 * that use it are skipped elsewhere with {@link #unavailableReason()}.
 */
public final class KernelFaults {

	private static final String UNAVAILABLE = probe();

	private KernelFaults() {
	}

	public static boolean available() {
		return UNAVAILABLE.isEmpty();
	}

	public static String unavailableReason() {
		return UNAVAILABLE;
	}

	private static String probe() {
		if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
			return "ss -K needs Linux";
		}
		try {
			Result id = run(List.of("id", "-u"));
			if (!id.output.trim().equals("0")) {
				return "ss -K needs root; these tests run as uid " + id.output.trim();
			}
			Result ss = run(List.of("ss", "-V"));
			return (ss.exitCode == 0) ? "" : "ss (iproute2) is not usable: " + ss.output;
		}
		catch (IOException ex) {
			return "ss (iproute2) is not installed: " + ex.getMessage();
		}
	}

	/**
	 * Destroys the TCP socket with the given local and remote ports. Java's sockets may be IPv6-mapped, so no
	 * address family is given.
	 * @param localPort the socket's own port
	 * @param remotePort its peer's port
	 */
	public static void kill(int localPort, int remotePort) {
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
	 * lives in a network namespace created for it. Both are removed by {@link VethPair#close()}.
	 * @param name the first end's name (at most 15 characters)
	 * @param address an IPv4 address for the first end
	 * @return the pair
	 * @throws IOException if the kernel refuses (no veth support, no namespaces)
	 */
	public static VethPair vethPair(String name, String address) throws IOException {
		String namespace = name + "-ns";
		String peer = name + "p";
		VethPair pair = new VethPair(name, namespace);
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
		Assumptions.assumeTrue(available(), KernelFaults::unavailableReason);
		try {
			return vethPair(prefix + (ProcessHandle.current().pid() % 100_000), address);
		}
		catch (IOException ex) {
			Assumptions.abort("cannot create a veth interface here: " + ex.getMessage());
			throw new IllegalStateException(ex);
		}
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

		private final String namespace;

		VethPair(String name, String namespace) {
			this.name = name;
			this.namespace = namespace;
		}

		public String name() {
			return this.name;
		}

		public void up() throws IOException {
			check(run(List.of("ip", "link", "set", this.name, "up")));
		}

		public void down() throws IOException {
			check(run(List.of("ip", "link", "set", this.name, "down")));
		}

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

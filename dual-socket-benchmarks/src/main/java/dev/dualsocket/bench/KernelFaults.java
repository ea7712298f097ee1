package dev.dualsocket.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills one TCP socket the way the kernel does: {@code ss -K} destroys it, its owner sees "Software caused connection
 * abort" and its peer a reset. Needs Linux, root and iproute2's {@code ss}. (Copied from the library's test helper of
 * the same name, which the benchmark cannot depend on.)
 */
public final class KernelFaults {

	private KernelFaults() {
	}

	/** Why kills are not possible here, or {@code null} if they are. */
	public static String unavailableReason() {
		if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
			return "ss -K needs Linux";
		}
		try {
			String uid = run(List.of("id", "-u")).trim();
			if (!uid.equals("0")) {
				return "ss -K needs root; this runs as uid " + uid;
			}
			run(List.of("ss", "-V"));
			return null;
		}
		catch (IOException ex) {
			return "ss (iproute2) is not usable: " + ex.getMessage();
		}
	}

	/**
	 * Destroys the TCP socket with the given local and remote ports (no address family: Java's sockets may be
	 * IPv6-mapped).
	 */
	public static void kill(int localPort, int remotePort) {
		try {
			String output = run(List.of("ss", "-K", "-t", "-n", "sport", "=", ":" + localPort, "dport", "=",
					":" + remotePort));
			if (!output.contains("ESTAB")) {
				throw new IllegalStateException("ss -K killed no socket " + localPort + " -> " + remotePort + ": " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Destroys every established TCP socket on the given port, both ends of every connection: the local end of each
	 * connection accepted on it ({@code sport}) and the local end of each connection made to it ({@code dport}). The
	 * listening socket stays.
	 * @return how many sockets were destroyed
	 */
	public static int killAll(int port) {
		try {
			String output = run(List.of("ss", "-K", "-t", "-n", "state", "established", "(", "sport", "=", ":" + port,
					"or", "dport", "=", ":" + port, ")"));
			int killed = (int) output.lines().filter((line) -> line.contains(":" + port)).count();
			if (killed == 0) {
				throw new IllegalStateException("ss -K killed no socket on port " + port + ": " + output);
			}
			return killed;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String run(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(command + " did not finish");
			}
			if (process.exitValue() != 0) {
				throw new IOException(command + " exited with " + process.exitValue() + ": " + output);
			}
			return output;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

}

package dev.dualsocket.test;

import static dev.dualsocket.test.KernelFaults.check;
import static dev.dualsocket.test.KernelFaults.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A router in a network namespace of the test's own, reached over a veth pair: a connection to
 * {@link #routerAddress()} on a forwarded port goes into the namespace, is NATed back to {@link #hostAddress()}, and
 * so crosses the namespace's iptables {@code FORWARD} chain, where a test can drop packets (every second SYN, say)
 * without touching anything outside the namespace. Needs root, Linux, {@code ip} and {@code iptables}; tests that use
 * it skip with {@link #unavailableReason()} elsewhere.
 */
public final class NetnsRouter implements AutoCloseable {

	private static final String UNAVAILABLE = probe();

	private final String veth;

	private final String namespace;

	private final String hostAddress;

	private final String routerAddress;

	private NetnsRouter(String veth, String subnet) {
		this.veth = veth;
		this.namespace = veth + "-ns";
		this.hostAddress = subnet + ".1";
		this.routerAddress = subnet + ".2";
	}

	public static boolean available() {
		return UNAVAILABLE.isEmpty();
	}

	public static String unavailableReason() {
		return UNAVAILABLE;
	}

	private static String probe() {
		if (!KernelFaults.available()) {
			return KernelFaults.unavailableReason();
		}
		try {
			KernelFaults.Result iptables = run(List.of("iptables", "-V"));
			return (iptables.exitCode() == 0) ? "" : "iptables is not usable: " + iptables.output().trim();
		}
		catch (IOException ex) {
			return "iptables is not installed (Debian package iptables): " + ex.getMessage();
		}
	}

	/**
	 * Creates the namespace, the veth pair and NAT.
	 * @param name the veth name in this namespace (at most 11 characters, so its peer's name fits)
	 * @param subnet the first three octets of a /30 that nothing else on the machine uses
	 * @return the router
	 * @throws IOException if the kernel or iptables refuses
	 */
	public static NetnsRouter create(String name, String subnet) throws IOException {
		NetnsRouter router = new NetnsRouter(name, subnet);
		String peer = name + "p";
		try {
			check(run(List.of("ip", "netns", "add", router.namespace)));
			check(run(List.of("ip", "link", "add", name, "type", "veth", "peer", "name", peer, "netns",
					router.namespace)));
			check(run(List.of("ip", "addr", "add", router.hostAddress + "/30", "dev", name)));
			check(run(List.of("ip", "link", "set", name, "up")));
			router.inNamespace("ip", "addr", "add", router.routerAddress + "/30", "dev", peer);
			router.inNamespace("ip", "link", "set", peer, "up");
			router.inNamespace("ip", "link", "set", "lo", "up");
			router.inNamespace("sysctl", "-qw", "net.ipv4.ip_forward=1");
			router.inNamespace("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", peer, "-j", "MASQUERADE");
			return router;
		}
		catch (IOException ex) {
			router.close();
			throw ex;
		}
	}

	/**
	 * Creates a router for a test, or skips the test with the reason where that cannot be done here.
	 * @param prefix the start of the veth name (at most 5 characters); the process id makes it unique
	 * @param subnet the first three octets of a /30 that nothing else on the machine uses
	 * @return the router
	 */
	public static NetnsRouter createOrSkip(String prefix, String subnet) {
		Assumptions.assumeTrue(available(), NetnsRouter::unavailableReason);
		try {
			return create(prefix + (ProcessHandle.current().pid() % 100_000), subnet);
		}
		catch (IOException ex) {
			Assumptions.abort("cannot create a network namespace router here: " + ex.getMessage());
			throw new IllegalStateException(ex);
		}
	}

	/** The address of this host's end of the veth pair: bind a server here. */
	public String hostAddress() {
		return this.hostAddress;
	}

	/** The address of the router: connect here, on a forwarded port. */
	public String routerAddress() {
		return this.routerAddress;
	}

	/**
	 * Forwards connections to the router's port to the host address's port.
	 */
	public void forward(int routerPort, int hostPort) throws IOException {
		inNamespace("iptables", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", String.valueOf(routerPort), "-j",
				"DNAT", "--to-destination", this.hostAddress + ":" + hostPort);
	}

	/** Drops every second SYN that crosses the router, counting from the second; nothing else. */
	public void dropEverySecondSyn() throws IOException {
		inNamespace("iptables", "-A", "FORWARD", "-p", "tcp", "--syn", "-m", "statistic", "--mode", "nth", "--every", "2",
				"--packet", "1", "-j", "DROP");
	}

	/** Drops each SYN with the given probability. */
	public void dropSyns(double probability) throws IOException {
		inNamespace("iptables", "-A", "FORWARD", "-p", "tcp", "--syn", "-m", "statistic", "--mode", "random",
				"--probability", String.valueOf(probability), "-j", "DROP");
	}

	/** Drops nothing any more. */
	public void dropNothing() throws IOException {
		inNamespace("iptables", "-F", "FORWARD");
	}

	private void inNamespace(String... command) throws IOException {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", this.namespace));
		full.addAll(List.of(command));
		check(run(full));
	}

	@Override
	public void close() throws IOException {
		run(List.of("ip", "link", "del", this.veth));
		run(List.of("ip", "netns", "del", this.namespace));
	}

}

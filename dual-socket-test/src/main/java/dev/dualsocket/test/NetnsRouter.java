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

	private final KernelFaults.VethPair veth;

	private final String hostAddress;

	private final String routerAddress;

	private NetnsRouter(KernelFaults.VethPair veth, String hostAddress, String routerAddress) {
		this.veth = veth;
		this.hostAddress = hostAddress;
		this.routerAddress = routerAddress;
	}

	/**
	 * Whether a router can be made here.
	 * @return {@code true} on Linux, as root, with {@code ss}, {@code ip} and {@code iptables}
	 */
	public static boolean available() {
		return UNAVAILABLE.isEmpty();
	}

	/**
	 * Why a router cannot be made here.
	 * @return the reason, or an empty string if it can
	 */
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
	 * Creates the namespace, the veth pair and NAT. Skips the calling test where that cannot be done here.
	 * @param name the veth name in this namespace (at most 11 characters, so its peer's name fits)
	 * @param subnet the first three octets of a /30 that nothing else on the machine uses
	 * @return the router
	 * @throws IOException if the kernel or iptables refuses
	 */
	public static NetnsRouter create(String name, String subnet) throws IOException {
		Assumptions.assumeTrue(available(), NetnsRouter::unavailableReason);
		KernelFaults.VethPair veth = KernelFaults.vethPair(name, subnet + ".1");
		NetnsRouter router = new NetnsRouter(veth, subnet + ".1", subnet + ".2");
		try {
			router.inNamespace("ip", "addr", "add", router.routerAddress + "/30", "dev", veth.peer());
			router.inNamespace("ip", "link", "set", "lo", "up");
			router.inNamespace("sysctl", "-qw", "net.ipv4.ip_forward=1");
			router.inNamespace("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", veth.peer(), "-j", "MASQUERADE");
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
		return KernelFaults.orSkip("a network namespace router",
				() -> create(prefix + (ProcessHandle.current().pid() % 100_000), subnet));
	}

	/**
	 * The address of this host's end of the veth pair: bind a server here.
	 * @return the address
	 */
	public String hostAddress() {
		return this.hostAddress;
	}

	/**
	 * The address of the router: connect here, on a forwarded port.
	 * @return the address
	 */
	public String routerAddress() {
		return this.routerAddress;
	}

	/**
	 * Forwards connections to the router's port to the host address's port.
	 * @param routerPort the port clients connect to at {@link #routerAddress()}
	 * @param hostPort the port a server listens on at {@link #hostAddress()}
	 * @throws IOException if iptables refuses
	 */
	public void forward(int routerPort, int hostPort) throws IOException {
		inNamespace("iptables", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", String.valueOf(routerPort), "-j",
				"DNAT", "--to-destination", this.hostAddress + ":" + hostPort);
	}

	/**
	 * Drops every second SYN that crosses the router, counting from the second; nothing else.
	 * @throws IOException if iptables refuses
	 */
	public void dropEverySecondSyn() throws IOException {
		inNamespace("iptables", "-A", "FORWARD", "-p", "tcp", "--syn", "-m", "statistic", "--mode", "nth", "--every", "2",
				"--packet", "1", "-j", "DROP");
	}

	/**
	 * Drops each SYN with the given probability.
	 * @param probability from 0 to 1
	 * @throws IOException if iptables refuses
	 */
	public void dropSyns(double probability) throws IOException {
		inNamespace("iptables", "-A", "FORWARD", "-p", "tcp", "--syn", "-m", "statistic", "--mode", "random",
				"--probability", String.valueOf(probability), "-j", "DROP");
	}

	/**
	 * Drops every packet that crosses the router, both ways: the connections through it go silent and new ones time
	 * out, as when the path is down.
	 * @throws IOException if iptables refuses
	 */
	public void dropEverything() throws IOException {
		inNamespace("iptables", "-I", "FORWARD", "-j", "DROP");
	}

	/**
	 * Drops nothing any more.
	 * @throws IOException if iptables refuses
	 */
	public void dropNothing() throws IOException {
		inNamespace("iptables", "-F", "FORWARD");
	}

	private void inNamespace(String... command) throws IOException {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", this.veth.namespace()));
		full.addAll(List.of(command));
		check(run(full));
	}

	/**
	 * Removes the namespace, the veth pair and their rules.
	 * @throws IOException if {@code ip} cannot be run
	 */
	@Override
	public void close() throws IOException {
		this.veth.close();
	}

}

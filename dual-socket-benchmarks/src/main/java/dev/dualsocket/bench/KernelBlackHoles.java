package dev.dualsocket.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.dualsocket.SocketRole;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.KernelFaults;
import dev.dualsocket.transport.TransportSettings;

/**
 * Black holes made by the kernel rather than by a proxy: an iptables {@code DROP} of every packet of one connection
 * on the loopback interface, both ways, so that nothing is acknowledged any more (a proxy's black hole still has its
 * kernel acknowledge what the sender writes). Run once on the native epoll transport, where each connection has
 * {@code TCP_USER_TIMEOUT} set to the heartbeat timeout and TCP keepalive, and once on NIO, where only the heartbeats
 * detect it: the difference is what the kernel's help is worth for a silent peer.
 */
final class KernelBlackHoles {

	private KernelBlackHoles() {
	}

	/**
	 * One transport's trials.
	 *
	 * @param transport which transport, for the row
	 * @param heartbeatTimeout the heartbeat timeout of the trials
	 * @param detectionNanos time from each drop to the first side declaring the socket failed
	 */
	record Result(String transport, Duration heartbeatTimeout, List<Long> detectionNanos) {

		Row row() {
			Histogram detection = new Histogram();
			this.detectionNanos.forEach(detection::record);
			return new Row(RecoveryScenario.SECTION,
					String.format("iptables DROP of a socket → detected, %s, %d trials, heartbeat timeout %d ms",
							this.transport, this.detectionNanos.size(), this.heartbeatTimeout.toMillis()),
					null, RecoveryScenario.single(detection.percentile(0.5)),
					RecoveryScenario.single(detection.percentile(0.99)),
					String.format("max %s", Report.duration(detection.max())),
					String.format("max %.2f× timeout", detection.max() / (double) this.heartbeatTimeout.toNanos()));
		}

	}

	/**
	 * Why the trials cannot run here, or {@code null} if they can.
	 * @return the reason
	 */
	static String unavailableReason() {
		if (!KernelFaults.available()) {
			return KernelFaults.unavailableReason();
		}
		try {
			Process process = new ProcessBuilder("iptables", "-w", "-L", "INPUT", "-n").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return (process.waitFor() == 0) ? null : "iptables cannot list the INPUT chain";
		}
		catch (IOException ex) {
			return "iptables is not installed (Debian package iptables)";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	static List<Result> run(Profile profile, PrintStream progress) throws Exception {
		List<Result> results = new ArrayList<>();
		for (boolean nativeTransport : new boolean[] { true, false }) {
			results.add(trials(profile, progress, nativeTransport));
		}
		return results;
	}

	private static Result trials(Profile profile, PrintStream progress, boolean nativeTransport) throws Exception {
		LinkSettings settings = LinkSettings.builder()
			.heartbeat(profile.blackHoleInterval(), profile.blackHoleTimeout())
			.build();
		TransportSettings defaults = TransportSettings.defaults();
		TransportSettings transport = new TransportSettings(defaults.ioThreads(), defaults.handlerThreads(),
				defaults.handlerQueueCapacity(), defaults.recoveryThreads(), nativeTransport,
				defaults.interfacePollInterval());
		String name = nativeTransport ? "epoll with TCP_USER_TIMEOUT" : "NIO, heartbeats only";
		EventTape tape = new EventTape();
		List<Long> detections = new ArrayList<>();
		try (DualSocketBed bed = new DualSocketBed(settings, transport, tape, (port) -> port);
				RecoveryScenario.SteadyLoad load = new RecoveryScenario.SteadyLoad(bed)) {
			load.startMeasuring();
			for (int i = 0; i < profile.blackHoles(); i++) {
				SocketRole role = (i % 2 == 0) ? SocketRole.OUTBOUND : SocketRole.INBOUND;
				long detected = RecoveryScenario.detectSilence(bed, tape, role, profile.blackHoleTimeout(), (clientPort) -> {
					drop(clientPort, true);
					return () -> drop(clientPort, false);
				});
				detections.add(detected);
				progress.printf("  iptables DROP of the client's %s socket (%s): detected after %s (timeout %d ms)%n",
						role.name().toLowerCase(), name, Report.duration(detected),
						profile.blackHoleTimeout().toMillis());
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			}
			load.finish();
		}
		return new Result(name, profile.blackHoleTimeout(), detections);
	}

	/** Inserts (or deletes) the two rules that drop every packet from and to a loopback port. */
	private static void drop(int port, boolean insert) throws IOException, InterruptedException {
		for (String direction : List.of("--sport", "--dport")) {
			Process process = new ProcessBuilder("iptables", "-w", insert ? "-I" : "-D", "INPUT", "-i", "lo", "-p", "tcp",
					direction, String.valueOf(port), "-j", "DROP")
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.waitFor() != 0) {
				throw new IOException("iptables " + (insert ? "-I" : "-D") + " failed: " + output.trim());
			}
		}
	}

}

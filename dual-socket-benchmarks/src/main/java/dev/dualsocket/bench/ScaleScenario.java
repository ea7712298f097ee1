package dev.dualsocket.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * Scenario 4: one server endpoint holding many client links, each link exchanging a heartbeat and a request per
 * second both ways (default link settings: heartbeat every second). The server runs in one child JVM and all clients
 * in another, so each JVM's heap, threads and CPU are its own. The measured window is cut into rounds.
 */
public final class ScaleScenario {

	static final String SECTION = "4 Scale";

	private static final int ROUNDS = 3;

	private static final int START_BATCH = 50;

	private ScaleScenario() {
	}

	/**
	 * One JVM's figures for one number of links.
	 *
	 * @param links links
	 * @param side "server" or "client"
	 * @param values what the child reported
	 */
	public record Side(int links, String side, Map<String, String> values) {

		double number(String key) {
			return Double.parseDouble(this.values.get(key));
		}

		Spread spread(String key) {
			return Spread.of(java.util.Arrays.stream(this.values.get(key).split(","))
				.mapToDouble(Double::parseDouble)
				.toArray());
		}

	}

	/**
	 * @param sides the server's and the clients' figures, for each number of links
	 */
	public record Result(List<Side> sides) {

		Side find(int links, String side) {
			return this.sides.stream()
				.filter((s) -> s.links == links && s.side.equals(side))
				.findFirst()
				.orElse(null);
		}

		List<Row> rows() {
			List<Row> rows = new ArrayList<>();
			int smallest = this.sides.stream().mapToInt(Side::links).min().orElse(0);
			for (Side side : this.sides) {
				String setup = String.format("%,d links, %s JVM%s", side.links,
						side.side.equals("server") ? "server" : "client",
						side.side.equals("server") ? " (1 endpoint)" : " (" + side.links + " endpoints)");
				String other = String.format("heap %.0f MB after GC; %d library threads (%d in JVM, peak %d); CPU %.1f %% of a core",
						side.number("heapMb"), (int) side.number("libraryThreads"), (int) side.number("threads"),
						(int) side.number("peakThreads"), side.spread("cpuPercent").median());
				if (side.number("errors") > 0) {
					other += "; " + (long) side.number("errors") + " failed";
				}
				String ratio = "";
				Side base = find(smallest, side.side);
				if (side.links != smallest && base != null) {
					ratio = String.format("p99 %.2f×, heap %.1f× the %d-link figure", side.spread("p99").median()
							/ base.spread("p99").median(), side.number("heapMb") / base.number("heapMb"), smallest);
				}
				rows.add(new Row(SECTION, setup, side.spread("perSecond"), side.spread("p50"), side.spread("p99"),
						other, ratio));
			}
			return rows;
		}

	}

	public static Result run(Profile profile, PrintStream progress) throws Exception {
		List<Side> sides = new ArrayList<>();
		for (int links : new int[] { profile.scaleSmall(), profile.scaleLarge() }) {
			sides.addAll(runOnce(profile, links, progress));
		}
		return new Result(sides);
	}

	private static List<Side> runOnce(Profile profile, int links, PrintStream progress) throws Exception {
		List<String> args = List.of("--links=" + links, "--warmup=" + profile.scaleWarmup().toMillis(),
				"--measure=" + profile.scaleMeasure().toMillis());
		Children.Child server = Children.start("scale-server", args, List.of(), profile);
		try {
			String portLine = server.awaitLine("PORT ", Duration.ofSeconds(60));
			int port = Integer.parseInt(portLine.substring(5).trim());
			List<String> clientArgs = new ArrayList<>(args);
			clientArgs.add("--port=" + port);
			Children.Child client = Children.start("scale-client", clientArgs, List.of(), profile);
			try {
				Duration budget = Duration.ofSeconds(180).plus(profile.scaleWarmup()).plus(profile.scaleMeasure());
				String established = client.awaitLine("ESTABLISHED ", budget);
				progress.println("  " + links + " links: " + established.substring(12).trim());
				Map<String, String> serverValues = parse(server.awaitLine("@@scale ", budget));
				Map<String, String> clientValues = parse(client.awaitLine("@@scale ", budget));
				client.stop();
				server.stop();
				Side serverSide = new Side(links, "server", serverValues);
				Side clientSide = new Side(links, "client", clientValues);
				for (Side side : List.of(serverSide, clientSide)) {
					progress.printf("  %,5d links, %-6s heap %5.0f MB, library threads %3d (JVM %3d, peak %4d), CPU %5.1f %%,"
							+ " %,.0f req/s, p50 %.0f µs, p99 %.0f µs%n", links, side.side, side.number("heapMb"),
							(int) side.number("libraryThreads"), (int) side.number("threads"),
							(int) side.number("peakThreads"), side.spread("cpuPercent").median(),
							side.spread("perSecond").median(), side.spread("p50").median() / 1e3,
							side.spread("p99").median() / 1e3);
				}
				return List.of(serverSide, clientSide);
			}
			finally {
				client.destroy();
			}
		}
		finally {
			server.destroy();
		}
	}

	static Map<String, String> parse(String line) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String pair : line.substring(line.indexOf(' ') + 1).trim().split(" ")) {
			int eq = pair.indexOf('=');
			values.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		return values;
	}

	// ------------------------------------------------------------------------------------------------------------
	// The child JVMs
	// ------------------------------------------------------------------------------------------------------------

	static int intArg(List<String> args, String name) {
		return Integer.parseInt(stringArg(args, name));
	}

	static String stringArg(List<String> args, String name) {
		return args.stream()
			.filter((a) -> a.startsWith("--" + name + "="))
			.map((a) -> a.substring(name.length() + 3))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("missing --" + name));
	}

	/** The server child: one endpoint, waits for every link, then measures. */
	static void serverChild(List<String> args) throws Exception {
		int links = intArg(args, "links");
		LinkSettings settings = LinkSettings.builder().build();
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults())) {
			ServerEndpoint server = new ServerEndpoint(SecuredEndpoints.server("scale-server", "127.0.0.1", 0, settings),
					transport, DualSocketEventListener.NONE);
			server.setRequestHandler((request) -> request.payload());
			server.start();
			System.out.println("PORT " + server.getLocalAddress().getPort());
			System.out.flush();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
			while (server.links().stream().filter((link) -> link.getState() == LinkState.NORMAL).count() < links) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("only " + server.links().size() + " of " + links + " links came up");
				}
				Thread.sleep(20);
			}
			measure(new ArrayList<>(server.links()), args);
			awaitStop();
			server.stop(Duration.ZERO);
		}
	}

	/** The client child: one client endpoint per link, all on one shared transport. */
	static void clientChild(List<String> args) throws Exception {
		int links = intArg(args, "links");
		int port = intArg(args, "port");
		int batchSize = args.stream().anyMatch((a) -> a.startsWith("--batch=")) ? intArg(args, "batch") : START_BATCH;
		LinkSettings settings = LinkSettings.builder().build();
		List<ClientEndpoint> clients = new ArrayList<>();
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults())) {
			long start = System.nanoTime();
			List<DualSocketLink> all = DualSocketBed.startInBatches(links, batchSize, (j) -> {
				ClientEndpoint client = new ClientEndpoint(
						SecuredEndpoints.client("scale-client-" + j, "127.0.0.1", port, "scale-" + j, settings), transport,
						DualSocketEventListener.NONE);
				client.setRequestHandler((request) -> request.payload());
				return client;
			}, clients);
			System.out.printf("ESTABLISHED %d links in %d ms (client endpoints started %d at a time), peak threads %d%n",
					links, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), batchSize,
					ProcessStats.peakThreads());
			System.out.flush();
			measure(all, args);
			awaitStop();
			clients.forEach((client) -> client.stop(Duration.ZERO));
		}
	}

	private static void measure(List<DualSocketLink> links, List<String> args) throws Exception {
		long warmup = intArg(args, "warmup");
		long measure = intArg(args, "measure");
		try (Pacer pacer = new Pacer(links)) {
			Thread.sleep(warmup);
			pacer.swap();
			long windowStart = System.nanoTime();
			long cpuStart = ProcessStats.cpuNanos();
			List<Double> perSecond = new ArrayList<>();
			List<Double> p50 = new ArrayList<>();
			List<Double> p99 = new ArrayList<>();
			List<Double> cpu = new ArrayList<>();
			long errors = 0;
			for (int round = 0; round < ROUNDS; round++) {
				Thread.sleep(measure / ROUNDS);
				Recorder ended = pacer.swap();
				long windowEnd = System.nanoTime();
				long cpuEnd = ProcessStats.cpuNanos();
				double seconds = (windowEnd - windowStart) / 1e9;
				cpu.add(100.0 * (cpuEnd - cpuStart) / (windowEnd - windowStart));
				windowStart = windowEnd;
				cpuStart = cpuEnd;
				Thread.sleep(200); // the ended window's last answers arrive; the next window runs meanwhile
				Histogram histogram = ended.merged();
				perSecond.add(histogram.count() / seconds);
				p50.add((double) histogram.percentile(0.5));
				p99.add((double) histogram.percentile(0.99));
				errors += ended.errors();
			}
			long heap = ProcessStats.heapAfterGc();
			System.out.println("@@scale links=" + links.size() + " heapMb=" + String.format("%.1f", heap / 1048576.0)
					+ " threads=" + ProcessStats.threads() + " libraryThreads=" + ProcessStats.libraryThreads()
					+ " peakThreads=" + ProcessStats.peakThreads() + " errors=" + errors + " perSecond=" + join(perSecond)
					+ " p50=" + join(p50) + " p99=" + join(p99) + " cpuPercent=" + join(cpu));
			System.out.flush();
		}
	}

	private static String join(List<Double> values) {
		return values.stream().map((v) -> String.format("%.1f", v)).collect(Collectors.joining(","));
	}

	/** Keeps the links (and their heartbeats) up until the parent says stop, or goes away. */
	static void awaitStop() throws IOException {
		BufferedReader in = new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.trim().equals("stop")) {
				return;
			}
		}
	}


}

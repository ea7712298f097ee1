package dev.dualsocket.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.dualsocket.LinkState;
import dev.dualsocket.endpoint.ClientEndpoint;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.ServerEndpoint;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.transport.TransportResources;
import dev.dualsocket.transport.TransportSettings;

/**
 * Scenario 4: one server endpoint holding many client links, each link exchanging a heartbeat and a request per
 * second both ways (default link settings: heartbeat every second). The server runs in one child JVM and the clients
 * in others, at most {@link Profile#scaleLinksPerClientJvm()} client endpoints to a JVM (one JVM for 100 and 1,000
 * links, four for 10,000), so each JVM's heap, threads and CPU are its own. Once every link is up, the parent starts
 * the load in all of them at once; the measured window is cut into rounds.
 */
public final class ScaleScenario {

	static final String SECTION = "4 Scale";

	private static final int ROUNDS = 3;

	private static final int START_BATCH = 50;

	/** Open files a JVM needs besides its sockets: class path jars, epoll and event fds, standard streams. */
	private static final int SPARE_FILES = 256;

	private ScaleScenario() {
	}

	/**
	 * One side's figures for one number of links: the server JVM's, or the client JVMs' together.
	 *
	 * @param links links asked for (the profile's number); {@code values.get("links")} says how many there were
	 * @param side "server" or "client"
	 * @param values what the child reported (for several client JVMs: sums, maxima, and percentiles of the merged
	 * latencies, see {@link #combine})
	 */
	public record Side(int links, String side, Map<String, String> values) {

		double number(String key) {
			return Double.parseDouble(this.values.get(key));
		}

		double number(String key, double otherwise) {
			String value = this.values.get(key);
			return (value != null) ? Double.parseDouble(value) : otherwise;
		}

		Spread spread(String key) {
			return Spread.of(java.util.Arrays.stream(this.values.get(key).split(","))
				.mapToDouble(Double::parseDouble)
				.toArray());
		}

		/** Links there were, which is fewer than asked for when the server's open-file limit holds no more. */
		int measuredLinks() {
			return (int) number("links", this.links);
		}

		int clientJvms() {
			return (int) number("jvms", 1);
		}

	}

	/**
	 * @param sides the server's and the clients' figures, for each number of links
	 * @param failures why a number of links has no figures, if it has none
	 */
	public record Result(List<Side> sides, Map<Integer, String> failures) {

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
				boolean server = side.side.equals("server");
				int jvms = side.clientJvms();
				int fit = (int) side.number("fit", side.links);
				String count = (side.measuredLinks() < fit) ? String.format("%,d of %,d", side.measuredLinks(), fit)
						: String.format("%,d", side.measuredLinks());
				String setup;
				if (server) {
					setup = String.format("%s links, server JVM (1 endpoint)", count);
				}
				else if (jvms == 1) {
					setup = String.format("%s links, client JVM (%d endpoints)", count, fit);
				}
				else {
					setup = String.format("%s links, %d client JVMs (%,d endpoints each)", count, jvms,
							(fit + jvms - 1) / jvms);
				}
				String other;
				if (server || jvms == 1) {
					other = String.format("heap %.0f MB after GC; %d library threads (%d in JVM, peak %d); CPU %.1f %% of a core",
							side.number("heapMb"), (int) side.number("libraryThreads"), (int) side.number("threads"),
							(int) side.number("peakThreads"), side.spread("cpuPercent").median());
				}
				else {
					other = String.format("heap %.0f MB after GC in all (at most %.0f MB in one JVM); at most %d library "
							+ "threads in one JVM (%d in it, peak %d); CPU %.1f %% of a core in all",
							side.number("heapMb"), side.number("heapMbMax"), (int) side.number("libraryThreads"),
							(int) side.number("threads"), (int) side.number("peakThreads"),
							side.spread("cpuPercent").median());
				}
				if (!server && side.values.containsKey("upMs")) {
					other += String.format("; all links up %.1f s after the client JVM%s started", side.number("upMs") / 1e3,
							(jvms == 1) ? "" : "s");
				}
				if (side.number("errors") > 0) {
					other += "; " + (long) side.number("errors") + " failed";
				}
				if (fit < side.links) {
					other += String.format("; %,d links asked for, but the server's open-file limit (%,d) holds %,d",
							side.links, (long) side.number("openFileLimit", 0), fit);
				}
				if (side.measuredLinks() < fit) {
					other += String.format("; only %,d of %,d links NORMAL within the time the scenario waits for them",
							side.measuredLinks(), fit);
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
			this.failures.forEach((links, why) -> rows.add(new Row(SECTION, String.format("%,d links", links), null,
					null, null, "not measured: " + why, "")));
			return rows;
		}

	}

	public static Result run(Profile profile, PrintStream progress) throws Exception {
		List<Side> sides = new ArrayList<>();
		Map<Integer, String> failures = new LinkedHashMap<>();
		int[] sizes = profile.scaleLinks();
		for (int links : sizes) {
			try {
				sides.addAll(runOnce(profile, links, progress));
			}
			catch (Exception ex) {
				if (links == sizes[0]) {
					throw ex;
				}
				progress.println("  " + links + " links: not measured: " + ex.getMessage());
				failures.put(links, String.valueOf(ex.getMessage()));
			}
		}
		return new Result(sides, failures);
	}

	private static List<Side> runOnce(Profile profile, int links, PrintStream progress) throws Exception {
		List<String> args = List.of("--links=" + links, "--warmup=" + profile.scaleWarmup().toMillis(),
				"--measure=" + profile.scaleMeasure().toMillis(), "--establish=" + profile.scaleEstablish().toMillis());
		Children.Child server = Children.start("scale-server", args, Children.withOpenFiles(2 * links + SPARE_FILES),
				profile);
		List<Children.Child> clients = new ArrayList<>();
		try {
			// PORT <port> LINKS <links it has room for> FILES <its open-file limit>
			Map<String, String> serverSays = words(server.awaitLine("PORT ", Duration.ofSeconds(60)));
			int port = Integer.parseInt(serverSays.get("PORT"));
			int fit = Integer.parseInt(serverSays.get("LINKS"));
			if (fit < links) {
				progress.printf("  %,d links: the server's open-file limit (%s) holds %,d links; measuring those%n", links,
						serverSays.get("FILES"), fit);
			}
			int jvms = profile.scaleClientJvms(fit);
			long started = System.nanoTime();
			for (int i = 0, first = 0; i < jvms; i++) {
				int share = fit / jvms + ((i < fit % jvms) ? 1 : 0);
				List<String> clientArgs = new ArrayList<>(args);
				clientArgs.set(0, "--links=" + share);
				clientArgs.add("--first=" + first);
				clientArgs.add("--port=" + port);
				clients.add(Children.start("scale-client", clientArgs, Children.withOpenFiles(2 * share + SPARE_FILES),
						profile));
				first += share;
			}
			Duration budget = Duration.ofSeconds(60).plus(profile.scaleEstablish())
				.plus(profile.scaleWarmup())
				.plus(profile.scaleMeasure());
			int clientsUp = 0;
			for (Children.Child client : clients) {
				String established = client.awaitLine("ESTABLISHED ", budget);
				clientsUp += Integer.parseInt(established.split(" ")[1]);
				progress.println("  " + fit + " links" + ((jvms > 1) ? " (" + client.name + ")" : "") + ": "
						+ established.substring(12).trim());
			}
			long upMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			boolean serverGone = false;
			String ready = null;
			if (clientsUp >= fit) {
				try {
					ready = server.awaitLine("READY ", Duration.ofSeconds(15));
				}
				catch (IllegalStateException ex) {
					if (!server.process.isAlive()) {
						throw ex;
					}
				}
			}
			if (ready == null) {
				// The server waits for links that will not come (or not soon): it goes with those it has.
				server.send("go");
				serverGone = true;
				ready = server.awaitLine("READY ", Duration.ofSeconds(30));
			}
			int serverUp = Integer.parseInt(ready.split(" ")[1]);
			if (jvms > 1 || serverUp < fit) {
				progress.printf("  %,d of %,d links NORMAL on the server %,d ms after the %d client JVM%s started%n",
						serverUp, fit, upMs, jvms, (jvms == 1) ? "" : "s");
			}
			// The load starts in every JVM at once, once all links are up.
			if (!serverGone) {
				server.send("go");
			}
			for (Children.Child client : clients) {
				client.send("go");
			}
			Map<String, String> serverValues = parse(server.awaitLine("@@scale ", budget));
			serverValues.put("asked", String.valueOf(links));
			serverValues.put("fit", String.valueOf(fit));
			serverValues.put("openFileLimit", serverSays.get("FILES"));
			List<Map<String, String>> clientValues = new ArrayList<>();
			for (Children.Child client : clients) {
				clientValues.add(parse(client.awaitLine("@@scale ", budget)));
			}
			for (Children.Child client : clients) {
				client.stop();
			}
			server.stop();
			Map<String, String> clientCombined = combine(clientValues);
			clientCombined.put("upMs", String.valueOf(upMs));
			clientCombined.put("fit", String.valueOf(fit));
			clientCombined.put("openFileLimit", serverSays.get("FILES"));
			Side serverSide = new Side(links, "server", serverValues);
			Side clientSide = new Side(links, "client", clientCombined);
			for (Side side : List.of(serverSide, clientSide)) {
				progress.printf("  %,5d links, %-6s heap %5.0f MB, library threads %3d (JVM %3d, peak %4d), CPU %5.1f %%,"
						+ " %,.0f req/s, p50 %.0f µs, p99 %.0f µs%s%n", side.measuredLinks(), side.side,
						side.number("heapMb"), (int) side.number("libraryThreads"), (int) side.number("threads"),
						(int) side.number("peakThreads"), side.spread("cpuPercent").median(),
						side.spread("perSecond").median(), side.spread("p50").median() / 1e3,
						side.spread("p99").median() / 1e3,
						(side.clientJvms() > 1) ? String.format(" (%d JVMs: heap, CPU and rate together, threads the most of"
								+ " one; at most %.0f MB heap in one)", side.clientJvms(), side.number("heapMbMax")) : "");
			}
			return List.of(serverSide, clientSide);
		}
		finally {
			for (Children.Child client : clients) {
				client.destroy();
			}
			server.destroy();
		}
	}

	/** {@code KEY value KEY value ...} */
	private static Map<String, String> words(String line) {
		String[] words = line.trim().split("\\s+");
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i + 1 < words.length; i += 2) {
			values.put(words[i], words[i + 1]);
		}
		return values;
	}

	/**
	 * The client JVMs' figures as one side's: links, rates, CPU and errors add up; heap is the sum ({@code heapMb})
	 * and the most in one JVM ({@code heapMbMax}); threads are the most in one JVM; p50 and p99 of each round are of
	 * the JVMs' latencies merged.
	 * @param jvms each client JVM's {@code @@scale} values
	 * @return the values of them all
	 */
	static Map<String, String> combine(List<Map<String, String>> jvms) {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("jvms", String.valueOf(jvms.size()));
		all.put("links", String.valueOf(jvms.stream().mapToLong((v) -> Long.parseLong(v.get("links"))).sum()));
		all.put("heapMb", String.format(Locale.ROOT, "%.1f", sum(jvms, "heapMb")));
		all.put("heapMbMax", String.format(Locale.ROOT, "%.1f", max(jvms, "heapMb")));
		for (String key : List.of("threads", "libraryThreads", "peakThreads")) {
			all.put(key, String.valueOf((long) max(jvms, key)));
		}
		all.put("errors", String.valueOf((long) sum(jvms, "errors")));
		all.put("perSecond", join(roundSums(jvms, "perSecond")));
		all.put("cpuPercent", join(roundSums(jvms, "cpuPercent")));
		int rounds = jvms.get(0).get("hist").split(",").length;
		List<Double> p50 = new ArrayList<>();
		List<Double> p99 = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			Histogram merged = new Histogram();
			for (Map<String, String> jvm : jvms) {
				merged.add(Histogram.decode(jvm.get("hist").split(",")[round]));
			}
			p50.add((double) merged.percentile(0.5));
			p99.add((double) merged.percentile(0.99));
		}
		all.put("p50", join(p50));
		all.put("p99", join(p99));
		return all;
	}

	private static double sum(List<Map<String, String>> jvms, String key) {
		return jvms.stream().mapToDouble((v) -> Double.parseDouble(v.get(key))).sum();
	}

	private static double max(List<Map<String, String>> jvms, String key) {
		return jvms.stream().mapToDouble((v) -> Double.parseDouble(v.get(key))).max().orElse(0);
	}

	private static List<Double> roundSums(List<Map<String, String>> jvms, String key) {
		List<Double> sums = new ArrayList<>();
		for (Map<String, String> jvm : jvms) {
			String[] values = jvm.get(key).split(",");
			for (int round = 0; round < values.length; round++) {
				double value = Double.parseDouble(values[round]);
				if (round < sums.size()) {
					sums.set(round, sums.get(round) + value);
				}
				else {
					sums.add(value);
				}
			}
		}
		return sums;
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

	/**
	 * The links this JVM has open files for: two sockets each, besides what it has open now and some to spare.
	 * @param asked links asked for
	 * @return at most {@code asked}
	 */
	static int linksThatFit(int asked) {
		long limit = Children.openFileLimit();
		if (limit == Long.MAX_VALUE) {
			return asked;
		}
		long open = asked;
		try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
			open = fds.count();
		}
		catch (IOException | UnsupportedOperationException ex) {
			open = 64; // not Linux: a guess
		}
		return (int) Math.max(0, Math.min(asked, (limit - open - SPARE_FILES / 2) / 2));
	}

	/**
	 * The server child: one endpoint; says its port and how many links it has room for, waits for them all, then for
	 * the parent's go, then measures.
	 */
	static void serverChild(List<String> args) throws Exception {
		int links = linksThatFit(intArg(args, "links"));
		LinkSettings settings = LinkSettings.builder().build();
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults())) {
			// Every client is on 127.0.0.1: the bound on connections from one address stays on, sized as its default
			// is for 1,000 links (room for both sockets of each link and a re-connect of each).
			EndpointSettings endpoint = SecuredEndpoints.server("scale-server", "127.0.0.1", 0, settings)
				.withMaxConnectionsPerAddress(Math.max(EndpointSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 4 * links));
			ServerEndpoint server = new ServerEndpoint(endpoint, transport, DualSocketEventListener.NONE);
			server.setRequestHandler((request) -> request.payload());
			server.start();
			System.out.println("PORT " + server.getLocalAddress().getPort() + " LINKS " + links + " FILES "
					+ Children.openFileLimit());
			System.out.flush();
			// The parent says go once every client JVM has its links up, or has given up waiting for them.
			java.util.concurrent.CompletableFuture<Boolean> go = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				try {
					return Children.awaitParent("go");
				}
				catch (IOException ex) {
					return false;
				}
			});
			long started = System.nanoTime();
			long nextNote = started + TimeUnit.SECONDS.toNanos(10);
			long normal;
			// Counted every 100 ms, not more: each count goes over every link.
			while ((normal = normalLinks(server).size()) < links && !go.isDone()) {
				long now = System.nanoTime();
				if (now > nextNote) {
					System.out.printf("server: %,d of %,d links NORMAL after %d s%n", normal, links,
							TimeUnit.NANOSECONDS.toSeconds(now - started));
					System.out.flush();
					nextNote += TimeUnit.SECONDS.toNanos(10);
				}
				Thread.sleep(100);
			}
			System.out.println("READY " + normal + " links NORMAL");
			System.out.flush();
			if (go.get()) {
				measure(normalLinks(server), args);
				Children.awaitParent("stop");
			}
			server.stop(Duration.ZERO);
		}
	}

	private static List<DualSocketLink> normalLinks(ServerEndpoint server) {
		return server.links().stream().filter((link) -> link.getState() == LinkState.NORMAL).toList();
	}

	/**
	 * The client child: one client endpoint per link (links {@code scale-<first>} on), all on one shared transport;
	 * starts the load at the parent's go.
	 */
	static void clientChild(List<String> args) throws Exception {
		int links = intArg(args, "links");
		int first = args.stream().anyMatch((a) -> a.startsWith("--first=")) ? intArg(args, "first") : 0;
		int port = intArg(args, "port");
		int batchSize = args.stream().anyMatch((a) -> a.startsWith("--batch=")) ? intArg(args, "batch") : START_BATCH;
		LinkSettings settings = LinkSettings.builder().build();
		List<ClientEndpoint> clients = new ArrayList<>();
		try (TransportResources transport = TransportResources.create(TransportSettings.defaults())) {
			long start = System.nanoTime();
			long deadline = start + TimeUnit.MILLISECONDS.toNanos(intArg(args, "establish"));
			List<DualSocketLink> started = new ArrayList<>();
			// Like DualSocketBed.startInBatches, but within one budget for all: what is not up by then is not waited for.
			for (int i = 0; i < links && System.nanoTime() < deadline; i += batchSize) {
				List<DualSocketLink> batch = new ArrayList<>();
				for (int j = first + i; j < first + Math.min(links, i + batchSize); j++) {
					ClientEndpoint client = new ClientEndpoint(
							SecuredEndpoints.client("scale-client-" + j, "127.0.0.1", port, "scale-" + j, settings),
							transport, DualSocketEventListener.NONE);
					client.setRequestHandler((request) -> request.payload());
					client.start();
					clients.add(client);
					batch.add(client.link(client.getSettings().linkId()));
				}
				for (DualSocketLink link : batch) {
					while (link.getState() != LinkState.NORMAL && System.nanoTime() < deadline) {
						Thread.sleep(2);
					}
				}
				started.addAll(batch);
			}
			List<DualSocketLink> all = started.stream().filter((link) -> link.getState() == LinkState.NORMAL).toList();
			System.out.printf("ESTABLISHED %d of %d links in %d ms (client endpoints started %d at a time), peak threads %d%n",
					all.size(), links, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), batchSize,
					ProcessStats.peakThreads());
			System.out.flush();
			if (Children.awaitParent("go")) {
				measure(all, args);
				Children.awaitParent("stop");
			}
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
			List<String> histograms = new ArrayList<>();
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
				histograms.add(histogram.encode());
				errors += ended.errors();
			}
			long heap = ProcessStats.heapAfterGc();
			System.out.println("@@scale links=" + links.size() + " heapMb=" + String.format("%.1f", heap / 1048576.0)
					+ " threads=" + ProcessStats.threads() + " libraryThreads=" + ProcessStats.libraryThreads()
					+ " peakThreads=" + ProcessStats.peakThreads() + " errors=" + errors + " perSecond=" + join(perSecond)
					+ " p50=" + join(p50) + " p99=" + join(p99) + " cpuPercent=" + join(cpu) + " hist="
					+ String.join(",", histograms));
			System.out.flush();
		}
	}

	private static String join(List<Double> values) {
		return values.stream().map((v) -> String.format(Locale.ROOT, "%.1f", v)).collect(Collectors.joining(","));
	}

	/** Keeps the links (and their heartbeats) up until the parent says stop, or goes away. */
	static void awaitStop() throws IOException {
		Children.awaitParent("stop");
	}

}

package dev.dualsocket.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs every scenario of the benchmark in one JVM session on 127.0.0.1 and prints one table; the full run also
 * writes it, with the targets, into docs/BENCHMARKS.md and draws the recovery timeline into docs/.
 *
 * <pre>
 * java -jar dual-socket-benchmarks/target/dual-socket-benchmarks.jar [--quick] [--only=rt,pinned,pipe,recovery,scale,plot,storm,takeover,jmh] [--out=DIR]
 * </pre>
 */
public final class BenchmarkMain {

	static final String COMMAND = "./mvnw -B -q -DskipTests -pl dual-socket-benchmarks -am package && "
			+ "java -jar dual-socket-benchmarks/target/dual-socket-benchmarks.jar";

	static final List<String> SCENARIOS = List.of("rt", "pinned", "pipe", "recovery", "scale", "plot", "storm",
			"takeover", "jmh");

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		quietLogging();
		Arguments arguments = Arguments.parse(args);
		Profile profile = arguments.quick ? Profile.quick() : Profile.full();
		if (arguments.child != null) {
			Children.run(arguments.child, arguments.rest, profile);
			System.exit(0);
			return;
		}
		PrintStream out = System.out;
		Environment environment = Environment.describe();
		long started = System.nanoTime();
		out.println("dual-socket benchmarks, " + profile.name() + " run: " + environment.oneLine());
		Results results = new Results(profile, environment);
		if (arguments.runs("rt")) {
			out.println("\n[1] Round trip, one caller, " + Profile.PAYLOAD + "-byte payload");
			results.rows.addAll(ThroughputScenarios.roundTrip(profile.latencyWarmup(), profile.latencyRound(),
					profile.latencyRounds(), "", out));
		}
		if (arguments.runs("pinned")) {
			out.println("\n[1] Round trip again, in a child JVM pinned to one CPU (taskset -c 0)");
			results.rows.addAll(Children.pinnedRoundTrip(profile, out));
		}
		if (arguments.runs("pipe")) {
			out.println("\n[2] Pipelined throughput on one link");
			results.rows.addAll(ThroughputScenarios.pipelined(profile.throughputWarmup(), profile.throughputRound(),
					profile.throughputRounds(), out));
		}
		if (arguments.runs("recovery")) {
			out.println("\n[3] Recovery under load: " + profile.kills() + " socket kills, then " + profile.blackHoles()
					+ " black-holed sockets, then " + profile.restarts() + " restarts of the server's JVM and "
					+ profile.restarts() + " of the client's");
			results.recovery = RecoveryScenario.run(profile, out);
			results.rows.addAll(results.recovery.rows());
		}
		if (arguments.runs("scale")) {
			out.println(String.format("%n[4] Scale: one server endpoint, %,d, %,d and %,d client links (clients in other JVMs,"
					+ " at most %,d to a JVM)", profile.scaleSmall(), profile.scaleLarge(), profile.scaleHuge(),
					profile.scaleLinksPerClientJvm()));
			results.scale = ScaleScenario.run(profile, out);
			results.rows.addAll(results.scale.rows());
		}
		Path outDir = arguments.outputDirectory(profile);
		Files.createDirectories(outDir);
		if (arguments.runs("plot")) {
			out.println("\n[5] Recovery timeline plot");
			Path png = outDir.resolve(TimelineScenario.FILE_NAME);
			TimelineScenario.run(profile, png, out);
			results.plot = png;
		}
		if (arguments.runs("storm")) {
			out.println("\n[6] Recovery storm: " + profile.stormLinks() + " client links in this JVM, every socket on the "
					+ "server's port killed at once (ss -K), " + profile.stormKills() + " times");
			results.storm = RecoveryStorm.run(profile, out);
			results.rows.addAll(results.storm.rows());
		}
		if (arguments.runs("takeover")) {
			out.println("\n[7] Takeover: two instances of a server endpoint with ha on (PostgreSQL), the leader killed "
					+ "(SIGKILL) again and again under load");
			results.takeover = TakeoverScenario.run(profile, out);
			results.rows.addAll(results.takeover.rows());
		}
		if (arguments.runs("jmh")) {
			out.println("\n[8] JMH microbenchmarks (round trip, pipelined) with JMH's GC profiler, in a JVM of JMH's own");
			results.microbenchmarks = Microbenchmarks.run(arguments.quick, outDir.resolve("jmh.log"), out);
			results.rows.addAll(results.microbenchmarks.rows());
		}
		results.elapsed = Duration.ofNanos(System.nanoTime() - started);
		String table = Report.table(results.rows);
		String targets = Report.targets(results);
		out.println();
		out.println(table);
		out.println(targets);
		Path markdown = outDir.resolve("BENCHMARKS.md");
		Files.writeString(markdown, Report.markdown(results, arguments.commandLine(), table, targets),
				StandardCharsets.UTF_8);
		out.println("Written: " + markdown + (results.plot != null ? " and " + results.plot : "") + " ("
				+ results.elapsed.toSeconds() + " s)");
		System.exit(0);
	}

	/**
	 * The library logs each state change at INFO; here that would drown the progress lines. {@code -Dbench.log=INFO}
	 * shows them.
	 */
	static void quietLogging() {
		Level level = Level.parse(System.getProperty("bench.log", "WARNING"));
		Logger root = Logger.getLogger("");
		root.setLevel(level);
		Arrays.stream(root.getHandlers()).forEach((handler) -> handler.setLevel(level));
		// The library logs through commons-logging, which goes to SLF4J and Logback when they are on the class path (as
		// here, from spring-boot-starter-logging); Logback's default is DEBUG on the console.
		if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger logback) {
			logback.setLevel(logbackLevel(level));
		}
		System.setProperty("io.netty.leakDetection.level", System.getProperty("io.netty.leakDetection.level", "disabled"));
	}

	private static ch.qos.logback.classic.Level logbackLevel(Level level) {
		int value = level.intValue();
		if (value >= Level.SEVERE.intValue()) {
			return ch.qos.logback.classic.Level.ERROR;
		}
		if (value >= Level.WARNING.intValue()) {
			return ch.qos.logback.classic.Level.WARN;
		}
		if (value >= Level.INFO.intValue()) {
			return ch.qos.logback.classic.Level.INFO;
		}
		return (value >= Level.FINE.intValue()) ? ch.qos.logback.classic.Level.DEBUG : ch.qos.logback.classic.Level.TRACE;
	}

	/** What the run found, for the report. */
	static final class Results {

		final Profile profile;

		final Environment environment;

		final List<Row> rows = new ArrayList<>();

		RecoveryScenario.Result recovery;

		ScaleScenario.Result scale;

		RecoveryStorm.Result storm;

		TakeoverScenario.Result takeover;

		Microbenchmarks.Measured microbenchmarks;

		Path plot;

		Duration elapsed;

		Results(Profile profile, Environment environment) {
			this.profile = profile;
			this.environment = environment;
		}

	}

	/**
	 * The machine and JVM the run is on.
	 *
	 * @param date when
	 * @param jdk the JVM
	 * @param cpus CPUs the JVM sees
	 * @param cpuModel from /proc/cpuinfo
	 * @param os kernel
	 * @param jvmFlags flags given to the JVM
	 */
	record Environment(String date, String jdk, int cpus, String cpuModel, String os, String jvmFlags) {

		static Environment describe() {
			String model = "unknown CPU";
			try {
				model = Files.readAllLines(Path.of("/proc/cpuinfo"))
					.stream()
					.filter((line) -> line.startsWith("model name"))
					.map((line) -> line.substring(line.indexOf(':') + 1).trim())
					.findFirst()
					.orElse(model);
			}
			catch (IOException ex) {
				// not Linux
			}
			return new Environment(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")),
					System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
							+ System.getProperty("java.vendor") + ")",
					Runtime.getRuntime().availableProcessors(), model,
					System.getProperty("os.name") + " " + System.getProperty("os.version"),
					String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
		}

		String oneLine() {
			return this.date + ", " + this.jdk + ", " + this.cpus + " CPUs (" + this.cpuModel + "), " + this.os;
		}

	}

	/** The command line. */
	static final class Arguments {

		boolean quick;

		Set<String> only = new LinkedHashSet<>(SCENARIOS);

		String out;

		String child;

		List<String> rest = new ArrayList<>();

		List<String> given = new ArrayList<>();

		static Arguments parse(String[] args) {
			Arguments arguments = new Arguments();
			for (String arg : args) {
				arguments.given.add(arg);
				if (arg.equals("--quick")) {
					arguments.quick = true;
				}
				else if (arg.startsWith("--only=")) {
					arguments.only = new LinkedHashSet<>(Arrays.asList(arg.substring(7).split(",")));
					if (!SCENARIOS.containsAll(arguments.only)) {
						throw new IllegalArgumentException("--only takes some of " + SCENARIOS + ", not " + arguments.only);
					}
				}
				else if (arg.startsWith("--out=")) {
					arguments.out = arg.substring(6);
				}
				else if (arg.startsWith("--child=")) {
					arguments.child = arg.substring(8);
				}
				else if (arg.equals("--help") || arg.equals("-h")) {
					System.out.println("usage: java -jar dual-socket-benchmarks.jar [--quick] [--only="
							+ String.join(",", SCENARIOS) + "] [--out=DIR]");
					System.exit(0);
				}
				else if (arguments.child != null) {
					arguments.rest.add(arg);
				}
				else {
					throw new IllegalArgumentException("unknown argument " + arg + " (try --help)");
				}
			}
			return arguments;
		}

		boolean runs(String scenario) {
			return this.only.contains(scenario);
		}

		/** docs/ of the checkout for a full run of everything; the module's target/ otherwise. */
		Path outputDirectory(Profile profile) {
			if (this.out != null) {
				return Path.of(this.out);
			}
			Path root = projectRoot();
			boolean complete = this.only.containsAll(SCENARIOS);
			if (!profile.isQuick() && complete && root != null) {
				return root.resolve("docs");
			}
			Path base = (root != null) ? root.resolve("dual-socket-benchmarks").resolve("target") : Path.of("target");
			return base.resolve("benchmarks-" + profile.name());
		}

		String commandLine() {
			return COMMAND + (this.given.isEmpty() ? "" : " " + String.join(" ", this.given));
		}

	}

	/** The checkout this jar was built in: three levels above dual-socket-benchmarks/target/the.jar. */
	static Path projectRoot() {
		try {
			Path jar = Path.of(BenchmarkMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			Path candidate = jar.getParent().getParent().getParent();
			if (Files.exists(candidate.resolve("dual-socket-benchmarks/pom.xml"))) {
				return candidate;
			}
		}
		catch (Exception ex) {
			// fall through
		}
		Path cwd = Path.of("").toAbsolutePath();
		for (Path dir = cwd; dir != null; dir = dir.getParent()) {
			if (Files.exists(dir.resolve("dual-socket-benchmarks/pom.xml"))) {
				return dir;
			}
		}
		return null;
	}

	static BufferedReader reader(Process process) {
		return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

}

package dev.dualsocket.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.link.LinkSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of one link on 127.0.0.1, default configuration with the safety features on (authentication,
 * back-pressure, bounds, at-most-once) and an echo handler that says it never blocks, as in the harness's scenarios 1
 * and 2: one caller's round trip, and 1,024 requests pipelined. The harness runs them as scenario 8
 * ({@link Microbenchmarks}); or run them
 * by hand, with {@code -prof gc} for the bytes allocated per request:
 *
 * <pre>
 * java -cp dual-socket-benchmarks/target/dual-socket-benchmarks.jar org.openjdk.jmh.Main LinkBenchmarks -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LinkBenchmarks {

	/** Requests in flight in the pipelined benchmark, as in the harness's scenario 2. */
	static final int PIPELINED = 1024;

	private final byte[] payload = new byte[Profile.PAYLOAD];

	private DualSocketBed bed;

	@Setup(Level.Trial)
	public void start() {
		BenchmarkMain.quietLogging();
		this.bed = new DualSocketBed(LinkSettings.builder().build(), DualSocketEventListener.NONE);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.bed.close();
	}

	/** One caller: send, wait for the answer, again. */
	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public byte[] roundTrip() throws Exception {
		return this.bed.clientLink.request(this.payload).get();
	}

	/** 1,024 requests sent at once, then all their answers awaited; the score is per request. */
	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	@OperationsPerInvocation(PIPELINED)
	public void pipelined() {
		CompletableFuture<?>[] answers = new CompletableFuture<?>[PIPELINED];
		for (int i = 0; i < PIPELINED; i++) {
			answers[i] = this.bed.clientLink.request(this.payload);
		}
		// Each answer awaited on its own: CompletableFuture.allOf would allocate a tree of relays per request, which
		// -prof gc would count against the library.
		for (CompletableFuture<?> answer : answers) {
			answer.join();
		}
	}

}

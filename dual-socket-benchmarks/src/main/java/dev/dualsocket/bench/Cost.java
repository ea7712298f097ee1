package dev.dualsocket.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a round cost the whole JVM (client and server sides alike): CPU time, and context switches summed over its
 * live threads from /proc (Linux; 0 elsewhere). A thread's switches count only while it lives, so the load drivers
 * take the closing snapshot before their own threads end.
 *
 * @param cpuNanos process CPU time
 * @param switches voluntary and involuntary context switches
 */
public record Cost(long cpuNanos, long switches) {

	private static final Path TASKS = Path.of("/proc/self/task");

	public static Cost now() {
		return new Cost(ProcessStats.cpuNanos(), contextSwitches());
	}

	public Cost since(Cost start) {
		return new Cost(this.cpuNanos - start.cpuNanos, this.switches - start.switches);
	}

	private static long contextSwitches() {
		if (!Files.isDirectory(TASKS)) {
			return 0;
		}
		long total = 0;
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
			for (Path task : tasks) {
				try {
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
							total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return total;
	}

}

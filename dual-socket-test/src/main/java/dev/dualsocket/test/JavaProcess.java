package dev.dualsocket.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;

/**
 * A JVM of its own on the test's class path, so that a test can crash it ({@code SIGKILL}), pause it
 * ({@code SIGSTOP}) and let it go on: its standard output as lines as they come (standard error joined to it), and
 * lines to its standard input.
 */
public final class JavaProcess implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final PrintStream commands;

	private JavaProcess(Process process) {
		this.process = process;
		this.commands = new PrintStream(process.getOutputStream(), true, UTF_8);
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
				String line;
				while ((line = output.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process died; what it said is kept
			}
		}, "java-process-output-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a main class on the calling JVM's class path.
	 * @param mainClass the class whose {@code main} runs
	 * @param jvmArguments arguments for the JVM (heap size, system properties)
	 * @param arguments arguments for {@code main}
	 * @param joinErrors whether standard error joins the lines; otherwise it is discarded
	 * @return the running process
	 * @throws IOException if it cannot be started
	 */
	public static JavaProcess start(Class<?> mainClass, List<String> jvmArguments, List<String> arguments,
			boolean joinErrors) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(jvmArguments);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command);
		if (joinErrors) {
			builder.redirectErrorStream(true);
		}
		else {
			builder.redirectError(ProcessBuilder.Redirect.DISCARD);
		}
		return new JavaProcess(builder.start());
	}

	/** Every line it printed so far. */
	public List<String> lines() {
		return this.lines;
	}

	/** The lines that start with the given word, without it. */
	public List<String> lines(String word) {
		return this.lines.stream()
			.filter((line) -> line.startsWith(word + " "))
			.map((line) -> line.substring(word.length() + 1))
			.toList();
	}

	/** Whether a line it printed contains the text. */
	public boolean printed(String text) {
		return this.lines.stream().anyMatch((line) -> line.contains(text));
	}

	/** Sends a line to its standard input. */
	public void command(String line) {
		this.commands.println(line);
	}

	/** The process id. */
	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Stops the process ({@code SIGSTOP}): it keeps its sockets, its kernel still accepts connections and
	 * acknowledges data, but it runs nothing until {@link #resume()}. Skips the calling test where {@code kill}
	 * cannot be run.
	 */
	public void suspend() throws IOException, InterruptedException {
		signal("STOP");
	}

	/** Lets a stopped process run again ({@code SIGCONT}). */
	public void resume() throws IOException, InterruptedException {
		signal("CONT");
	}

	private void signal(String signal) throws IOException, InterruptedException {
		Process kill;
		try {
			kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			Assumptions.abort("cannot send SIG" + signal + ": kill is not available here (" + ex.getMessage() + ")");
			throw ex;
		}
		String output = new String(kill.getInputStream().readAllBytes(), UTF_8);
		if (kill.waitFor() != 0) {
			throw new IOException("kill -" + signal + " " + pid() + " failed: " + output.trim());
		}
	}

	/** Kills the process as a crash would: SIGKILL, no orderly close. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		// SIGKILL ends a stopped process too.
		kill();
	}

}

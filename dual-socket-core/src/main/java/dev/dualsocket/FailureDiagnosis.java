package dev.dualsocket;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The diagnosis of one socket failure (seed 003): the failure, the outcome of each step, and the verdict.
 *
 * @param socket the socket whose failure was diagnosed
 * @param failure why it failed
 * @param verdict what the steps found had failed
 * @param steps each step's outcome, in the order they ran
 * @param startedAt when the diagnosis started, right after the failure
 * @param duration how long all steps took
 */
public record FailureDiagnosis(SocketRole socket, SocketFailure failure, FailureVerdict verdict, List<Step> steps,
		Instant startedAt, Duration duration) {

	public FailureDiagnosis {
		steps = List.copyOf(steps);
	}

	/**
	 * When the verdict was reached.
	 * @return the start plus the duration
	 */
	public Instant finishedAt() {
		return this.startedAt.plus(this.duration);
	}

	/**
	 * The outcome of one step.
	 * @param step the step
	 * @return its outcome, or empty if it did not run (the diagnosis was stopped before it)
	 */
	public Optional<Step> step(DiagnosisStep step) {
		return this.steps.stream().filter((result) -> result.step() == step).findFirst();
	}

	/**
	 * One step's outcome.
	 *
	 * @param step the step
	 * @param outcome how it came out
	 * @param detail what was seen, for example {@code "127.0.0.1:7800: Connection refused"}
	 * @param duration how long the step took
	 */
	public record Step(DiagnosisStep step, DiagnosisStep.Outcome outcome, String detail, Duration duration) {

		@Override
		public String toString() {
			return this.step.label() + " " + this.outcome.label()
					+ (this.detail.isEmpty() ? "" : " (" + this.detail + ")");
		}

	}

}

package dev.dualsocket.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A {@link LogBudget} lets a burst of lines through per window, makes no line it drops, and says how many it dropped
 * in the first line of the next window.
 */
class LogBudgetTests {

	@Test
	void burstPerWindowThenTheCountOfWhatWasLeftOut() {
		LogBudget budget = new LogBudget(200, TimeUnit.MILLISECONDS, 3);
		AtomicInteger made = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			assertThat(budget.admit(() -> "line " + made.incrementAndGet())).isEqualTo("line " + made.get());
		}
		for (int i = 0; i < 5; i++) {
			assertThat(budget.admit(() -> "line " + made.incrementAndGet())).isNull();
		}
		assertThat(made).as("lines made for nothing").hasValue(3);
		// A new window lets lines through again.
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
			.until(() -> budget.admit(() -> "next") != null);
	}

	@Test
	void theFirstLineOfTheNextWindowCountsTheDropped() {
		LogBudget budget = new LogBudget(100, TimeUnit.MILLISECONDS, 1);
		assertThat(budget.admit(() -> "first")).isEqualTo("first");
		assertThat(budget.admit(() -> "dropped")).isNull();
		assertThat(budget.admit(() -> "dropped")).isNull();
		String[] next = new String[1];
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
			.until(() -> (next[0] = budget.admit(() -> "second")) != null);
		// Each poll that found the window still closed dropped one more line; at least the two above.
		assertThat(next[0]).startsWith("second (").endsWith(" more like it left out of the log)");
		int dropped = Integer.parseInt(next[0].replaceAll("\\D+", " ").trim().split(" ")[0]);
		assertThat(dropped).isGreaterThanOrEqualTo(2);
	}

}

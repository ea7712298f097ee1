package dev.dualsocket.bench;

import java.time.Duration;

/**
 * One set-up under test: it runs a round of load for a given time and reports what it measured. Set-ups of one
 * scenario stay open together and take turns, round after round, so that a noisy moment of the machine hurts them
 * alike.
 */
public interface Contestant extends AutoCloseable {

	/** Short name, as shown in the table. */
	String name();

	RoundResult round(Duration duration) throws Exception;

	@Override
	default void close() {
	}

	static Contestant of(String name, Round round, AutoCloseable resources) {
		return new Contestant() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public RoundResult round(Duration duration) throws Exception {
				return round.run(duration);
			}

			@Override
			public void close() {
				try {
					resources.close();
				}
				catch (Exception ex) {
					// best effort
				}
			}
		};
	}

	@FunctionalInterface
	interface Round {

		RoundResult run(Duration duration) throws Exception;

	}

}

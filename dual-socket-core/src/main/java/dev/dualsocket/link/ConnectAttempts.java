package dev.dualsocket.link;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A client's attempts to establish its link (both sockets in a new session) in the current series: the series begins
 * when the endpoint starts, when the link went disconnected and is to be established again, and on a reconnect.
 * Attempts to re-connect one socket inside a recovery procedure are not counted here (see {@link SocketSnapshot}).
 *
 * @param attempts the attempts of the series that have ended, failed or not
 * @param lastError why the last failed attempt of the series failed; {@code null} if none has failed
 * @param lastErrorAt when it failed; {@code null} if none has failed
 * @param nextAttemptAt when the next attempt is due; {@code null} when none is waiting (one is running, the link is
 * established, or the series gave up)
 */
public record ConnectAttempts(int attempts, @Nullable String lastError, @Nullable Instant lastErrorAt,
		@Nullable Instant nextAttemptAt) {

	/** No attempt made or due yet. */
	static final ConnectAttempts NONE = new ConnectAttempts(0, null, null, null);

	/**
	 * The last failed attempt in words, for example {@code "the last attempt to connect failed: Connection refused:
	 * /127.0.0.1:7800 (attempt 3, next in 2 s)"}.
	 * @param now the moment to count the wait for the next attempt from
	 * @return the sentence, or {@code null} if no attempt of the series has failed
	 */
	public @Nullable String describeLastFailure(Instant now) {
		if (this.lastError == null) {
			return null;
		}
		Instant next = this.nextAttemptAt;
		String when = (next != null) ? "next in " + inWords(Duration.between(now, next))
				: "no further attempt is waiting";
		return "the last attempt to connect failed: " + this.lastError + " (attempt " + this.attempts + ", " + when
				+ ")";
	}

	private static String inWords(Duration wait) {
		long millis = Math.max(0, wait.toMillis());
		if (millis < 1000) {
			return millis + " ms";
		}
		return (millis % 1000 == 0) ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
	}

}

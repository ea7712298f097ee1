package dev.dualsocket.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.dualsocket.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The shared store of served requests on a real PostgreSQL: one claim per key whoever asks at once, the answer for
 * every later claim, in doubt where no answer was stored, and rows past their retention deleted.
 */
class JdbcServedRequestStoreTests {

	private DriverManagerDataSource dataSource;

	private final String linkId = "link-" + UUID.randomUUID();

	private ExecutorService threads;

	@BeforeEach
	void setUp() {
		TestDatabase database = TestDatabase.require();
		this.dataSource = new DriverManagerDataSource(database.url(), database.user(), database.password());
		new JdbcTemplate(this.dataSource).execute(JdbcServedRequestStore.SCHEMA);
		this.threads = Executors.newFixedThreadPool(8);
	}

	@AfterEach
	void tearDown() {
		if (this.threads != null) { // null when skipped for want of a database
			this.threads.shutdownNow();
		}
	}

	@Test
	void exactlyOneOfManyConcurrentClaimsWinsAndTheOthersSeeTheClaim() throws Exception {
		JdbcServedRequestStore store = new JdbcServedRequestStore(this.dataSource, Duration.ofMinutes(10));
		RequestKey key = new RequestKey(0x1122334455667788L, 42);
		List<Callable<StoredAnswer>> claims = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			// Each its own store, as each instance of the service has.
			JdbcServedRequestStore instance = new JdbcServedRequestStore(this.dataSource, Duration.ofMinutes(10));
			claims.add(() -> instance.claim(this.linkId, key));
		}
		List<StoredAnswer> outcomes = new ArrayList<>();
		for (Future<StoredAnswer> outcome : this.threads.invokeAll(claims)) {
			outcomes.add(outcome.get());
		}
		assertThat(outcomes.stream().filter((outcome) -> outcome == null)).hasSize(1);
		assertThat(outcomes.stream().filter((outcome) -> outcome == StoredAnswer.IN_DOUBT)).hasSize(15);
		assertThat(store.count(this.linkId)).isEqualTo(1);
	}

	@Test
	void aStoredAnswerIsWhatEveryLaterClaimGets() {
		JdbcServedRequestStore active = new JdbcServedRequestStore(this.dataSource, Duration.ofMinutes(10));
		JdbcServedRequestStore standby = new JdbcServedRequestStore(this.dataSource, Duration.ofMinutes(10));
		RequestKey answered = new RequestKey(7, 1);
		RequestKey failed = new RequestKey(7, 2);
		assertThat(active.claim(this.linkId, answered)).isNull();
		assertThat(active.claim(this.linkId, failed)).isNull();
		active.complete(this.linkId, answered,
				new StoredAnswer(StoredAnswer.Kind.RESPONSE, "paid".getBytes(StandardCharsets.UTF_8)));
		active.complete(this.linkId, failed, new StoredAnswer(StoredAnswer.Kind.ERROR, new byte[] { 0, 1, 'x' }));

		StoredAnswer response = standby.claim(this.linkId, answered);
		assertThat(response.kind()).isEqualTo(StoredAnswer.Kind.RESPONSE);
		assertThat(response.payload()).isEqualTo("paid".getBytes(StandardCharsets.UTF_8));
		StoredAnswer error = standby.claim(this.linkId, failed);
		assertThat(error.kind()).isEqualTo(StoredAnswer.Kind.ERROR);
		assertThat(error.payload()).containsExactly(0, 1, 'x');
		// The same key on another link is another request.
		assertThat(standby.claim(this.linkId + "-other", answered)).isNull();
	}

	@Test
	void rowsPastTheirRetentionAreDeletedAsClaimsGoOn() {
		Instant start = Instant.parse("2026-12-01T10:00:00Z");
		JdbcServedRequestStore early = new JdbcServedRequestStore(this.dataSource, Duration.ofMinutes(10),
				Clock.fixed(start, ZoneOffset.UTC));
		assertThat(early.claim(this.linkId, new RequestKey(9, 1))).isNull();
		JdbcServedRequestStore late = new JdbcServedRequestStore(this.dataSource, Duration.ofMinutes(10),
				Clock.fixed(start.plus(Duration.ofMinutes(11)), ZoneOffset.UTC));
		assertThat(late.claim(this.linkId, new RequestKey(9, 2))).isNull();
		assertThat(late.count(this.linkId)).isEqualTo(1);
	}

}

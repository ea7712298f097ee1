package dev.dualsocket.autoconfigure.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import dev.dualsocket.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Fencing epochs on a real PostgreSQL, beside a real {@code DefaultLockRepository}: an instance draws an epoch only
 * while it holds the role's unexpired lock, each draw is higher than the last, and once another instance took the
 * lock over the former one draws nothing.
 */
class JdbcLeaderEpochsTests {

	private final String role = "epochs-" + UUID.randomUUID();

	private final String first = UUID.randomUUID().toString();

	private final String second = UUID.randomUUID().toString();

	private DriverManagerDataSource dataSource;

	@BeforeEach
	void setUp() {
		TestDatabase database = TestDatabase.require();
		this.dataSource = new DriverManagerDataSource(database.url(), database.user(), database.password());
		HaSchema.create(this.dataSource);
	}

	@Test
	void onlyTheHolderOfTheLockDrawsAndEachDrawIsHigher() {
		DefaultLockRepository firstLocks = repository(this.first);
		JdbcLeaderEpochs firstEpochs = new JdbcLeaderEpochs(this.dataSource, "INT_", "DEFAULT", this.first);
		JdbcLeaderEpochs secondEpochs = new JdbcLeaderEpochs(this.dataSource, "INT_", "DEFAULT", this.second);
		String lock = UUIDConverter.getUUID(this.role).toString();

		assertThat(firstEpochs.next(this.role)).as("no lock yet").isEmpty();
		assertThat(firstLocks.acquire(lock, Duration.ofSeconds(30))).isTrue();
		long one = firstEpochs.next(this.role).orElseThrow();
		long two = firstEpochs.next(this.role).orElseThrow();
		assertThat(two).isGreaterThan(one);
		assertThat(secondEpochs.next(this.role)).as("the lock is the first instance's").isEmpty();
		assertThat(secondEpochs.holder(this.role)).contains(this.first);
	}

	@Test
	void aFormerHolderWhoseLockWasTakenOverDrawsNothing() {
		DefaultLockRepository firstLocks = repository(this.first);
		DefaultLockRepository secondLocks = repository(this.second);
		JdbcLeaderEpochs firstEpochs = new JdbcLeaderEpochs(this.dataSource, "INT_", "DEFAULT", this.first);
		JdbcLeaderEpochs secondEpochs = new JdbcLeaderEpochs(this.dataSource, "INT_", "DEFAULT", this.second);
		String lock = UUIDConverter.getUUID(this.role).toString();
		assertThat(firstLocks.acquire(lock, Duration.ofSeconds(30))).isTrue();
		long former = firstEpochs.next(this.role).orElseThrow();
		// The first instance's lock runs out (it was paused): its row expires, and the second takes it.
		new JdbcTemplate(this.dataSource).update("UPDATE INT_LOCK SET EXPIRED_AFTER = EXPIRED_AFTER - INTERVAL '1 hour' "
				+ "WHERE LOCK_KEY = ?", lock);
		assertThat(secondLocks.acquire(lock, Duration.ofSeconds(30))).isTrue();

		long current = secondEpochs.next(this.role).orElseThrow();

		assertThat(current).isGreaterThan(former);
		assertThat(firstEpochs.next(this.role)).as("the former holder wakes up").isEmpty();
		assertThat(secondEpochs.current(this.role)).isEqualTo(current);
	}

	private DefaultLockRepository repository(String id) {
		DefaultLockRepository repository = new DefaultLockRepository(this.dataSource, id);
		repository.setTransactionManager(new DataSourceTransactionManager(this.dataSource));
		repository.afterPropertiesSet();
		repository.afterSingletonsInstantiated();
		return repository;
	}

}

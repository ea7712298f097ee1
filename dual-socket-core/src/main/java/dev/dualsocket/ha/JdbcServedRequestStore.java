package dev.dualsocket.ha;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link ServedRequestStore} in a relational database that all instances of the service use (PostgreSQL is the one
 * tested), in the table {@value #TABLE}:
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS DUAL_SOCKET_SERVED_REQUEST (
 *     LINK_ID VARCHAR(255) NOT NULL,
 *     ORIGIN_SESSION BIGINT NOT NULL,
 *     ORIGIN_ID BIGINT NOT NULL,
 *     ANSWER CHAR(1) NOT NULL,          -- 'C' claimed, no answer yet; 'R' response; 'E' error
 *     PAYLOAD BYTEA,
 *     CREATED_DATE TIMESTAMP NOT NULL,
 *     CONSTRAINT DUAL_SOCKET_SERVED_REQUEST_PK PRIMARY KEY (LINK_ID, ORIGIN_SESSION, ORIGIN_ID)
 * );
 * </pre>
 *
 * <p>A claim is an {@code INSERT}: the primary key lets exactly one instance in, whoever tries at the same time; the
 * others read what it stored. Each call is one statement in its own transaction (auto-commit), so an answer is
 * durable before the engine sends it. Rows older than the retention are deleted as claims go on, at most once per
 * tenth of it; the retention must exceed the longest request timeout of the clients, which only send a request again
 * within it.
 */
public final class JdbcServedRequestStore implements ServedRequestStore {

	/** The table the store keeps its rows in. */
	public static final String TABLE = "DUAL_SOCKET_SERVED_REQUEST";

	/** The statements that create the table and its index if they do not exist (PostgreSQL). */
	public static final String SCHEMA = "CREATE TABLE IF NOT EXISTS " + TABLE + " (LINK_ID VARCHAR(255) NOT NULL, "
			+ "ORIGIN_SESSION BIGINT NOT NULL, ORIGIN_ID BIGINT NOT NULL, ANSWER CHAR(1) NOT NULL, PAYLOAD BYTEA, "
			+ "CREATED_DATE TIMESTAMP NOT NULL, CONSTRAINT " + TABLE + "_PK PRIMARY KEY (LINK_ID, ORIGIN_SESSION, ORIGIN_ID)); "
			+ "CREATE INDEX IF NOT EXISTS " + TABLE + "_CREATED ON " + TABLE + " (CREATED_DATE)";

	/** The default retention: well above the default request timeout of 30 s. */
	public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);

	private static final Log logger = LogFactory.getLog(JdbcServedRequestStore.class);

	private static final String CLAIMED = "C";

	private static final String RESPONSE = "R";

	private static final String ERROR = "E";

	private final JdbcTemplate jdbc;

	private final Duration retention;

	private final Clock clock;

	private final AtomicLong nextCleanup = new AtomicLong();

	/**
	 * @param dataSource the database the instances share
	 * @param retention how long an answer is kept; at least the clients' longest request timeout
	 */
	public JdbcServedRequestStore(DataSource dataSource, Duration retention) {
		this(dataSource, retention, Clock.systemUTC());
	}

	JdbcServedRequestStore(DataSource dataSource, Duration retention, Clock clock) {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("the retention of served requests must be positive, was " + retention);
		}
		this.jdbc = new JdbcTemplate(dataSource);
		this.retention = retention;
		this.clock = clock;
	}

	@Override
	public @Nullable StoredAnswer claim(String linkId, RequestKey key) {
		Instant now = this.clock.instant();
		cleanUpIfDue(now);
		try {
			this.jdbc.update("INSERT INTO " + TABLE + " (LINK_ID, ORIGIN_SESSION, ORIGIN_ID, ANSWER, CREATED_DATE) "
					+ "VALUES (?, ?, ?, ?, ?)", linkId, key.originSession(), key.originId(), CLAIMED, Timestamp.from(now));
			return null;
		}
		catch (DuplicateKeyException ex) {
			List<StoredAnswer> known = this.jdbc.query("SELECT ANSWER, PAYLOAD FROM " + TABLE
					+ " WHERE LINK_ID = ? AND ORIGIN_SESSION = ? AND ORIGIN_ID = ?", (row, number) -> {
						String answer = row.getString(1);
						StoredAnswer.Kind kind = RESPONSE.equals(answer) ? StoredAnswer.Kind.RESPONSE
								: ERROR.equals(answer) ? StoredAnswer.Kind.ERROR : null;
						if (kind == null) {
							return StoredAnswer.IN_DOUBT; // claimed, no answer stored
						}
						byte[] payload = row.getBytes(2);
						return new StoredAnswer(kind, (payload != null) ? payload : new byte[0]);
					}, linkId, key.originSession(), key.originId());
			// Deleted between the insert and the select (past its retention): it may have run all the same.
			return known.isEmpty() ? StoredAnswer.IN_DOUBT : known.get(0);
		}
	}

	@Override
	public void complete(String linkId, RequestKey key, StoredAnswer answer) {
		if (answer.kind() == StoredAnswer.Kind.IN_DOUBT) {
			throw new IllegalArgumentException("an answer to store is a response or an error");
		}
		this.jdbc.update("UPDATE " + TABLE + " SET ANSWER = ?, PAYLOAD = ? WHERE LINK_ID = ? AND ORIGIN_SESSION = ? "
				+ "AND ORIGIN_ID = ?", (answer.kind() == StoredAnswer.Kind.RESPONSE) ? RESPONSE : ERROR, answer.payload(),
				linkId, key.originSession(), key.originId());
	}

	/**
	 * Deletes the rows older than the retention, at most once per tenth of it across the threads of this instance.
	 */
	private void cleanUpIfDue(Instant now) {
		long due = this.nextCleanup.get();
		long nowMillis = now.toEpochMilli();
		if (nowMillis < due || !this.nextCleanup.compareAndSet(due, nowMillis + this.retention.toMillis() / 10)) {
			return;
		}
		int deleted = this.jdbc.update("DELETE FROM " + TABLE + " WHERE CREATED_DATE < ?",
				Timestamp.from(now.minus(this.retention)));
		if (deleted > 0 && logger.isDebugEnabled()) {
			logger.debug("Deleted " + deleted + " served requests older than " + this.retention);
		}
	}

	/**
	 * How many requests the store holds for a link, for tests and operators.
	 * @param linkId the link id
	 * @return the number of rows
	 */
	public int count(String linkId) {
		Integer count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE LINK_ID = ?", Integer.class,
				linkId);
		return (count != null) ? count : 0;
	}

}

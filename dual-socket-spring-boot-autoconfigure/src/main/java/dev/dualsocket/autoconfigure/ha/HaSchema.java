package dev.dualsocket.autoconfigure.ha;

import javax.sql.DataSource;

import dev.dualsocket.ha.JdbcServedRequestStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tables the instances of a service share for active/standby endpoints, created if missing (PostgreSQL DDL): the
 * lock table of Spring Integration's {@code JdbcLockRegistry} ({@code INT_LOCK}, as its
 * {@code schema-postgresql.sql} makes it), the fencing epochs and the served requests.
 */
final class HaSchema {

	static final String LOCKS = "CREATE TABLE IF NOT EXISTS INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) "
			+ "NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL, "
			+ "CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))";

	static final String EPOCHS = "CREATE TABLE IF NOT EXISTS " + JdbcLeaderEpochs.TABLE
			+ " (ROLE VARCHAR(255) NOT NULL PRIMARY KEY, EPOCH BIGINT NOT NULL)";

	private HaSchema() {
	}

	static void create(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.execute(LOCKS);
		jdbc.execute(EPOCHS);
		jdbc.execute(JdbcServedRequestStore.SCHEMA);
	}

}

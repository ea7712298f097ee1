package dev.dualsocket.autoconfigure.ha;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fencing epochs in the table {@code DUAL_SOCKET_EPOCH (ROLE, EPOCH)} of the database that also holds the
 * {@code JdbcLockRegistry}'s {@code INT_LOCK}: in one transaction, this instance's unexpired lock row is locked
 * ({@code SELECT ... FOR UPDATE}), then the epoch raised. So the epoch only ever grows under a valid lock: another
 * instance cannot take the lock over until the raise has committed, and once it has, this instance's lock row is no
 * longer its own and no epoch is drawn. (A subquery in the raise itself would not do: under READ COMMITTED it sees the
 * lock table as the statement began, and an instance whose lock expired meanwhile could raise the epoch above the new
 * leader's.) The legitimate leader therefore always holds the highest epoch. PostgreSQL SQL ({@code FOR UPDATE},
 * {@code ON CONFLICT}, {@code RETURNING}).
 */
public final class JdbcLeaderEpochs implements LeaderEpochs {

	/** The table of epochs. */
	public static final String TABLE = "DUAL_SOCKET_EPOCH";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final String lockTable;

	private final String region;

	private final String clientId;

	/**
	 * @param dataSource the database of the lock registry
	 * @param lockTablePrefix the lock registry's table prefix ({@code INT_})
	 * @param region the lock registry's region
	 * @param clientId the lock repository's client id: this instance's
	 */
	public JdbcLeaderEpochs(DataSource dataSource, String lockTablePrefix, String region, String clientId) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.lockTable = lockTablePrefix + "LOCK";
		this.region = region;
		this.clientId = clientId;
	}

	@Override
	public OptionalLong next(String role) {
		this.jdbc.update("INSERT INTO " + TABLE + " (ROLE, EPOCH) VALUES (?, 0) ON CONFLICT (ROLE) DO NOTHING", role);
		Long epoch = this.transactions.execute((status) -> {
			// The lock registry writes the JVM's UTC time in the lock row; compared the same way here.
			List<String> held = this.jdbc.queryForList("SELECT CLIENT_ID FROM " + this.lockTable + " WHERE LOCK_KEY = ? "
					+ "AND REGION = ? AND CLIENT_ID = ? AND EXPIRED_AFTER >= ? FOR UPDATE", String.class,
					UUIDConverter.getUUID(role).toString(), this.region, this.clientId, LocalDateTime.now(ZoneOffset.UTC));
			if (held.isEmpty()) {
				return null;
			}
			return this.jdbc.queryForObject("UPDATE " + TABLE + " SET EPOCH = EPOCH + 1 WHERE ROLE = ? RETURNING EPOCH",
					Long.class, role);
		});
		return (epoch != null) ? OptionalLong.of(epoch) : OptionalLong.empty();
	}

	@Override
	public Optional<String> holder(String role) {
		List<String> holder = this.jdbc.queryForList("SELECT CLIENT_ID FROM " + this.lockTable + " WHERE LOCK_KEY = ? AND "
				+ "REGION = ? AND EXPIRED_AFTER >= ?", String.class, UUIDConverter.getUUID(role).toString(), this.region,
				LocalDateTime.now(ZoneOffset.UTC));
		return holder.stream().findFirst().map(String::trim);
	}

	/**
	 * The current epoch of a role, for operators and tests.
	 * @param role the role
	 * @return the epoch, 0 if none was drawn
	 */
	public long current(String role) {
		List<Long> epoch = this.jdbc.queryForList("SELECT EPOCH FROM " + TABLE + " WHERE ROLE = ?", Long.class, role);
		return epoch.isEmpty() ? 0 : epoch.get(0);
	}

}

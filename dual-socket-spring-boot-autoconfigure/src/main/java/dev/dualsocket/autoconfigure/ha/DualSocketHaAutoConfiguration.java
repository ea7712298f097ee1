package dev.dualsocket.autoconfigure.ha;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.dualsocket.autoconfigure.DualSocketAutoConfiguration;
import dev.dualsocket.autoconfigure.DualSocketProperties;
import dev.dualsocket.autoconfigure.InvalidDualSocketPropertyException;
import dev.dualsocket.endpoint.DualSocketEndpointRegistry;
import dev.dualsocket.event.DualSocketEventListener;
import dev.dualsocket.ha.JdbcServedRequestStore;
import dev.dualsocket.ha.ServedRequestStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.util.ClassUtils;

/**
 * Active/standby endpoints ({@code dual-socket.endpoints.<name>.ha.enabled}): each runs only while this instance
 * leads its role. Leadership through Spring Integration's {@link LockRegistryLeaderInitiator} on the application's
 * {@link LockRegistry} bean, or else on a {@link JdbcLockRegistry} over the application's {@link DataSource} (with a
 * fencing epoch from the same database, {@link JdbcLeaderEpochs}); the tables are created at start-up unless
 * {@code dual-socket.ha.initialize-schema=never}.
 */
@AutoConfiguration(after = DualSocketAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration" })
@ConditionalOnClass(LockRegistryLeaderInitiator.class)
@Conditional(DualSocketHaAutoConfiguration.OnActiveStandbyEndpoint.class)
public final class DualSocketHaAutoConfiguration {

	private static final String JDBC_LOCKS = "org.springframework.integration.jdbc.lock.JdbcLockRegistry";

	@Bean
	HaEndpoints dualSocketHaEndpoints(DualSocketProperties properties,
			ObjectProvider<DualSocketEndpointRegistry> registry, ObjectProvider<LockRegistry<?>> locks,
			ObjectProvider<LeaderEpochs> epochs, ObjectProvider<DataSource> dataSource,
			ObjectProvider<LifecycleProperties> lifecycle, ApplicationEventPublisher publisher,
			ObjectProvider<DualSocketEventListener> listeners,
			ObjectProvider<LeadershipObserver> observer) {
		Map<String, DualSocketProperties.Endpoint> activeStandby = properties.activeStandbyEndpoints();
		String anEndpoint = activeStandby.keySet().iterator().next();
		String property = "dual-socket.endpoints." + anEndpoint + ".ha.enabled";
		String instance = UUID.randomUUID().toString();
		LockRegistry<?> applicationLocks = locks.getIfUnique();
		DataSource database = dataSource.getIfUnique();
		activeStandby.forEach((name, endpoint) -> check(name, endpoint.getHa(), database));
		Function<Duration, LockRegistry<?>> lockRegistries;
		LeaderEpochs leaderEpochs = epochs.getIfUnique();
		if (applicationLocks != null) {
			lockRegistries = (ttl) -> applicationLocks;
			if (leaderEpochs == null) {
				throw new InvalidDualSocketPropertyException(property, true, "true with the application's own "
						+ "LockRegistry only beside a LeaderEpochs bean that draws fencing epochs under its locks; or "
						+ "remove the LockRegistry bean to elect on a JdbcLockRegistry over the DataSource");
			}
		}
		else if (database != null && ClassUtils.isPresent(JDBC_LOCKS, DualSocketHaAutoConfiguration.class.getClassLoader())) {
			if (properties.getHa().getInitializeSchema() == DualSocketProperties.HaStore.InitializeSchema.ALWAYS) {
				HaSchema.create(database);
			}
			DefaultLockRepository repository = new DefaultLockRepository(database, instance);
			repository.setTransactionManager(new DataSourceTransactionManager(database));
			repository.afterPropertiesSet();
			repository.afterSingletonsInstantiated();
			lockRegistries = (ttl) -> new JdbcLockRegistry(repository, ttl);
			if (leaderEpochs == null) {
				leaderEpochs = new JdbcLeaderEpochs(database, DefaultLockRepository.DEFAULT_TABLE_PREFIX, "DEFAULT",
						instance);
			}
		}
		else {
			throw new InvalidDualSocketPropertyException(property, true, "true only with a LockRegistry bean, or a "
					+ "DataSource (spring.datasource.*) and spring-integration-jdbc on the class path for a "
					+ "JdbcLockRegistry on it; or false, to run the endpoint on every instance");
		}
		Function<Duration, ServedRequestStore> sharedStores = (retention) -> new JdbcServedRequestStore(
				Objects.requireNonNull(database), retention);
		Duration drainTimeout = lifecycle.getIfAvailable(LifecycleProperties::new).getTimeoutPerShutdownPhase();
		return new HaEndpoints(properties, registry, lockRegistries, sharedStores, leaderEpochs, instance,
				drainTimeout, publisher, listeners, observer.getIfAvailable(() -> LeadershipObserver.NONE));
	}

	private static void check(String name, DualSocketProperties.Ha ha, DataSource database) {
		String prefix = "dual-socket.endpoints." + name + ".ha.";
		if (ha.getLockTtl().isNegative() || ha.getLockTtl().isZero()) {
			throw new InvalidDualSocketPropertyException(prefix + "lock-ttl", ha.getLockTtl(), "a positive duration");
		}
		if (ha.getHeartBeat().compareTo(ha.getLockTtl()) >= 0 || ha.getHeartBeat().isNegative()
				|| ha.getHeartBeat().isZero()) {
			throw new InvalidDualSocketPropertyException(prefix + "heart-beat", ha.getHeartBeat(),
					"a positive duration below lock-ttl (" + ha.getLockTtl() + "), so that the leader renews its lock "
							+ "before it expires");
		}
		if (ha.getBusyWait().isNegative() || ha.getBusyWait().isZero()) {
			throw new InvalidDualSocketPropertyException(prefix + "busy-wait", ha.getBusyWait(), "a positive duration");
		}
		if (ha.isSharedStore() && database == null) {
			throw new InvalidDualSocketPropertyException(prefix + "shared-store", true,
					"true only with a DataSource (spring.datasource.*), where the instances share the served requests");
		}
		if (ha.getSharedStoreRetention().isNegative() || ha.getSharedStoreRetention().isZero()) {
			throw new InvalidDualSocketPropertyException(prefix + "shared-store-retention",
					ha.getSharedStoreRetention(), "a positive duration, above the clients' longest request timeout");
		}
	}

	/** Matches when some endpoint has {@code ha.enabled=true}. */
	static final class OnActiveStandbyEndpoint extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Map<String, DualSocketProperties.Endpoint> endpoints = Binder.get(context.getEnvironment())
				.bind("dual-socket.endpoints", Bindable.mapOf(String.class, DualSocketProperties.Endpoint.class))
				.orElse(Map.of());
			return !DualSocketProperties.activeStandby(endpoints).isEmpty() ? ConditionOutcome.match("an endpoint has ha.enabled")
					: ConditionOutcome.noMatch("no endpoint has ha.enabled");
		}

	}

}

/**
 * Active/standby across instances of a service (seeds 003 and 004): an endpoint with
 * {@code dual-socket.endpoints.<name>.ha.enabled} runs only on the instance that leads its role, elected by Spring
 * Integration's {@code LockRegistryLeaderInitiator} on a {@code LockRegistry} (a {@code JdbcLockRegistry} on the
 * application's {@code DataSource} unless it has its own), with a fencing epoch from the same database in every
 * handshake and, for a server, the served requests shared in it.
 */
@NullMarked
package dev.dualsocket.autoconfigure.ha;

import org.jspecify.annotations.NullMarked;

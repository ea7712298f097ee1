/**
 * What happens to links, as plain event types: state changes, socket failures and re-connections, the diagnosis of a failure and its steps,
 * re-connect attempts,
 * refused connections and the limits that refused or closed something. The engine delivers them to a
 * {@link dev.dualsocket.event.DualSocketEventListener} on its event threads, in order per link, never on an I/O thread
 * or under a lock; in a Spring application the auto-configuration publishes each one as a payload event, so an
 * {@code @EventListener} method receives it.
 */
@NullMarked
package dev.dualsocket.event;

import org.jspecify.annotations.NullMarked;

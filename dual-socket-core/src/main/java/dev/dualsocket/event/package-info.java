/**
 * What happens to links, as Spring {@code ApplicationEvent}s: state changes, socket failures and re-connections,
 * re-connect attempts and refused connections. The engine reports through {@link DualSocketEventListener}; in a
 * Spring application every event is published through the {@code ApplicationEventPublisher}, so an
 * {@code @EventListener} method receives it.
 */
@NullMarked
package dev.dualsocket.event;

import org.jspecify.annotations.NullMarked;

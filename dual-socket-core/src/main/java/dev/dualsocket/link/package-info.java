/**
 * The link: two sockets, one state, the requests in flight on it, and the recovery procedures of Figs. 5-8 of the
 * source patent as readable code ({@link dev.dualsocket.link.ClientRecovery} for Figs. 5 and 6,
 * {@link dev.dualsocket.link.ServerRecovery} for Figs. 7 and 8). Nothing here knows about Spring's application
 * context; the endpoints in {@code dev.dualsocket.endpoint} create links and the auto-configuration wires those.
 * Events and request observations leave a link through its {@link dev.dualsocket.link.EventMailbox}: posted where they
 * happen, delivered on the event threads.
 */
@NullMarked
package dev.dualsocket.link;

import org.jspecify.annotations.NullMarked;

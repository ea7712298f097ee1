/**
 * The {@code dualSocket} health contributor: one entry per endpoint, one per link under a server endpoint.
 */
@NullMarked
package dev.dualsocket.actuate.health;

import org.jspecify.annotations.NullMarked;

/**
 * Auto-configuration of the {@code dualSocket} health contributor.
 */
@NullMarked
package dev.dualsocket.autoconfigure.health;

import org.jspecify.annotations.NullMarked;

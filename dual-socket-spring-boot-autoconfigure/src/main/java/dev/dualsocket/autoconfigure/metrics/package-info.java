/**
 * Auto-configuration of the Micrometer meters of dual-socket links.
 */
@NullMarked
package dev.dualsocket.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;

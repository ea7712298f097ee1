/**
 * Auto-configuration of the {@code dualsocket} actuator endpoint.
 */
@NullMarked
package dev.dualsocket.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;

/**
 * The {@code dualsocket} actuator endpoint: every endpoint and link, and operations on them.
 */
@NullMarked
package dev.dualsocket.actuate.endpoint;

import org.jspecify.annotations.NullMarked;

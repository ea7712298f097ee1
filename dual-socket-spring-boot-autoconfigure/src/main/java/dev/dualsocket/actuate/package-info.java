/**
 * What operators see: link details shared by the health contributor and the {@code dualsocket} actuator endpoint.
 */
@NullMarked
package dev.dualsocket.actuate;

import org.jspecify.annotations.NullMarked;

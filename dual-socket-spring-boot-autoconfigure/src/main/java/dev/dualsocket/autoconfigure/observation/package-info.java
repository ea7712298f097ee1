/**
 * Auto-configuration of the Micrometer Observations of dual-socket requests.
 */
@NullMarked
package dev.dualsocket.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;

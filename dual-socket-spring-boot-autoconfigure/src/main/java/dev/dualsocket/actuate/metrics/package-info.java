/**
 * Micrometer meters of dual-socket links: link state, requests, socket failures and recoveries.
 */
@NullMarked
package dev.dualsocket.actuate.metrics;

import org.jspecify.annotations.NullMarked;

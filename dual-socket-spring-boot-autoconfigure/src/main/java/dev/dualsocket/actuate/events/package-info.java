/**
 * The recent events of each dual-socket link, held for operators in a bounded ring per link.
 */
@NullMarked
package dev.dualsocket.actuate.events;

import org.jspecify.annotations.NullMarked;

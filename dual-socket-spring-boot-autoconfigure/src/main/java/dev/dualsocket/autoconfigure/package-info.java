/**
 * Auto-configuration: endpoints from {@code dual-socket.*} properties, one bean per endpoint, their lifecycle, the
 * {@code @DualSocketListener} methods, events as Spring application events, and clear start-up failures for bad
 * configuration.
 */
@NullMarked
package dev.dualsocket.autoconfigure;

import org.jspecify.annotations.NullMarked;

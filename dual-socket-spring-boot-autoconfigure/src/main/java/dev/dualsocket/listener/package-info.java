/**
 * {@link dev.dualsocket.listener.DualSocketListener @DualSocketListener}: a bean method that answers the requests
 * arriving on an endpoint, with its parameter and return value converted by the payload codec.
 */
@NullMarked
package dev.dualsocket.listener;

import org.jspecify.annotations.NullMarked;

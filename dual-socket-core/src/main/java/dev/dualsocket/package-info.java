/**
 * The vocabulary every part of dual-socket shares: the states of a link, the two sockets of a link, the two
 * roles of an endpoint, and the exceptions a caller of {@code request} may see.
 */
@NullMarked
package dev.dualsocket;

import org.jspecify.annotations.NullMarked;

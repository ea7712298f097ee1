/**
 * The wire: length-prefixed frames, the handshake that names a link and its channel, per-socket heartbeats, and
 * the Netty resources (event loops, timers, handler threads) that all links share. {@code docs/PROTOCOL.md}
 * describes the format byte by byte.
 */
@NullMarked
package dev.dualsocket.transport;

import org.jspecify.annotations.NullMarked;

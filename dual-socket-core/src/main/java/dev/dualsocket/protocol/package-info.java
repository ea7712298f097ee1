/**
 * The wire-protocol SPI: what a protocol binding tells the engine (framing, handshake, heartbeat, correlation,
 * pairing, re-sends), and this project's own protocol as one binding.
 */
@NullMarked
package dev.dualsocket.protocol;

import org.jspecify.annotations.NullMarked;

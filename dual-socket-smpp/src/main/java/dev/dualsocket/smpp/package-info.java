/**
 * SMPP 3.4 as a wire protocol of the engine: an ESME's {@code bind_transmitter} and {@code bind_receiver} connections
 * are the outbound and inbound sockets of one link whose id is the SMPP {@code system_id} ({@code docs/SMPP.md}).
 */
@NullMarked
package dev.dualsocket.smpp;

import org.jspecify.annotations.NullMarked;

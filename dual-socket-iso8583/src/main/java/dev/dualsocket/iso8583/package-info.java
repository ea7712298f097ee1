/**
 * ISO 8583 as the wire protocol of dual-socket links: jPOS {@code ISOMsg}s framed by a length header, requests and
 * responses correlated by MTI pair and key fields, the 0800 echo test as the heartbeat, and the two connections of a
 * link paired by the port they arrive on.
 */
@NullMarked
package dev.dualsocket.iso8583;

import org.jspecify.annotations.NullMarked;

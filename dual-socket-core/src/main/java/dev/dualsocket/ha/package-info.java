/**
 * What an endpoint needs to run as one of several instances of a service (seeds 003 and 004 across machines): the
 * store in which the instances share the requests they served, so that a request re-sent to the instance that took
 * over is answered without running again. Who leads is decided outside the engine (the auto-configuration uses Spring
 * Integration's leader election); the engine only carries the leader's fencing epoch in its handshakes.
 */
@NullMarked
package dev.dualsocket.ha;

import org.jspecify.annotations.NullMarked;

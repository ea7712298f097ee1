/**
 * The endpoints an application talks to: {@link dev.dualsocket.endpoint.DualSocketEndpoint}, one per configured
 * endpoint, either a client (connects one link to its peer) or a server (listens on one port for many client links).
 */
@NullMarked
package dev.dualsocket.endpoint;

import org.jspecify.annotations.NullMarked;

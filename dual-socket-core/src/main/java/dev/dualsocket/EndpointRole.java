package dev.dualsocket;

/**
 * The role of an endpoint in the link set-up (Fig. 1 of the source patent). Both roles send and answer requests.
 */
public enum EndpointRole {

	/** Connects both sockets to one peer, and re-connects a socket that failed (Host A). */
	CLIENT,

	/** Listens on one port and accepts many client links; never dials out (Host B). */
	SERVER

}

package dev.dualsocket.transport;

import java.time.Duration;

/**
 * How many threads the shared transport uses, and how it watches network interfaces.
 *
 * @param ioThreads event-loop threads shared by all links; 0 means twice the number of CPUs
 * @param handlerThreads most threads that run request handlers at once, off the event loops; 0 runs handlers on the
 * event loops themselves, which is fastest but only right for handlers that never block
 * @param handlerQueueCapacity requests that may wait for a handler thread; beyond it the peer gets a BUSY error
 * @param recoveryThreads most threads that run clients' blocking re-connect attempts at once
 * @param nativeTransport use the native epoll transport where the platform has it
 * @param interfacePollInterval how often the state of the network interfaces carrying sockets is checked
 */
public record TransportSettings(int ioThreads, int handlerThreads, int handlerQueueCapacity, int recoveryThreads,
		boolean nativeTransport, Duration interfacePollInterval) {

	/**
	 * The defaults: twice the CPUs for I/O, 16 handler threads, 10,000 queued requests, 8 recovery threads, native
	 * transport where available, interfaces checked every second.
	 * @return the default settings
	 */
	public static TransportSettings defaults() {
		return new TransportSettings(0, 16, 10_000, 8, true, Duration.ofSeconds(1));
	}

}

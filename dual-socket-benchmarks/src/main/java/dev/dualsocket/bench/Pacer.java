package dev.dualsocket.bench;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.dualsocket.link.DualSocketLink;

/**
 * Sends one request per second on each of many links, spread evenly over the second (a slice of the links every
 * 10 ms), and records each answer's latency into whatever {@link Recorder} is current when the request is sent.
 */
public final class Pacer implements AutoCloseable {

	private static final int TICKS_PER_SECOND = 100;

	private final List<DualSocketLink> links;

	private final ScheduledExecutorService ticker;

	private final AtomicReference<Recorder> recorder = new AtomicReference<>(new Recorder());

	private final byte[] payload = new byte[Profile.PAYLOAD];

	private int next;

	public Pacer(List<DualSocketLink> links) {
		this.links = List.copyOf(links);
		this.ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "bench-pacer");
			thread.setDaemon(true);
			return thread;
		});
		this.ticker.scheduleAtFixedRate(this::tick, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
	}

	private void tick() {
		int n = this.links.size();
		int slice = (n + TICKS_PER_SECOND - 1) / TICKS_PER_SECOND;
		for (int i = 0; i < slice && n > 0; i++) {
			DualSocketLink link = this.links.get(this.next);
			this.next = (this.next + 1) % n;
			Recorder current = this.recorder.get();
			long sent = System.nanoTime();
			try {
				link.request(this.payload).whenComplete((answer, failure) -> {
					if (failure != null) {
						current.error();
					}
					else {
						current.record(System.nanoTime() - sent);
					}
				});
			}
			catch (RuntimeException ex) {
				current.error();
			}
		}
	}

	/** Starts a new measuring window; returns the recorder of the one that ends. */
	public Recorder swap() {
		return this.recorder.getAndSet(new Recorder());
	}

	@Override
	public void close() {
		this.ticker.shutdownNow();
	}

}

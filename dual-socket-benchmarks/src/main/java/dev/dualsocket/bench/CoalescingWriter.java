package dev.dualsocket.bench;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;

/**
 * Writes from any thread to a channel with one event-loop task and one flush per batch, not per message: a message
 * goes into a queue, and only the first message into an empty queue schedules the task that writes everything queued
 * and flushes once. The library's {@code FrameWriter} does the same for its frames; this copy lets the bare Netty echo
 * be threaded like the library, with and without it.
 */
final class CoalescingWriter {

	private final Channel channel;

	private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final Runnable drain = this::drain;

	CoalescingWriter(Channel channel) {
		this.channel = channel;
	}

	void write(Object message) {
		this.queue.offer(message);
		if (this.pending.getAndIncrement() == 0) {
			this.channel.eventLoop().execute(this.drain);
		}
	}

	private void drain() {
		int written = 0;
		while (true) {
			Object message = this.queue.poll();
			if (message != null) {
				this.channel.write(message, this.channel.voidPromise());
				written++;
				continue;
			}
			this.channel.flush();
			int left = this.pending.addAndGet(-written);
			written = 0;
			if (left == 0) {
				return;
			}
			// More were counted than polled: they are being offered now; poll again.
		}
	}

}

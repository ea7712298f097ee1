package dev.dualsocket.transport;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;

/**
 * Writes frames to one connection from any thread, in batches: frames queue up without locks, and one task on the
 * connection's event loop encodes everything queued into as few buffers as possible and flushes once. Under load that
 * is one system call for many frames instead of one each; when idle it costs what a single write costs.
 */
public final class FrameWriter {

	/** Largest buffer one batch is encoded into before a new one is started. */
	private static final int BATCH_BYTES = 64 * 1024;

	private final Channel channel;

	/**
	 * Frames queued per chunk of the queue. Netty's default of 1,024 is an array of 4 KiB per connection from the
	 * start, 8 KiB per link and most of what an idle link costs; a chunk of 128 holds what a busy link queues between
	 * two drains and costs the same per frame once it fills.
	 */
	private static final int QUEUE_CHUNK = 128;

	private final Queue<Frame> queue = PlatformDependent.newMpscQueue(QUEUE_CHUNK, 1 << 30);

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Runnable drain = this::drain;

	/**
	 * Whether the connection speaks this project's protocol, whose frames this writer encodes itself; another
	 * binding's encoder takes the frames as they are.
	 */
	private final boolean encodesItself;

	public FrameWriter(Channel channel) {
		this.channel = channel;
		this.encodesItself = channel.pipeline().get(FrameEncoder.class) != null;
	}

	/**
	 * Queues a frame for the connection. Frames are written in the order they are queued.
	 * @param frame the frame
	 */
	public void write(Frame frame) {
		this.queue.offer(frame);
		if (this.scheduled.compareAndSet(false, true)) {
			this.channel.eventLoop().execute(this.drain);
		}
	}

	private void drain() {
		// Cleared first: a frame queued from now on schedules another drain, so none is left behind.
		this.scheduled.set(false);
		if (!this.channel.isActive()) {
			this.queue.clear();
			return;
		}
		if (!this.encodesItself) {
			drainFrames();
			return;
		}
		ByteBuf batch = null;
		Frame frame;
		while ((frame = this.queue.poll()) != null) {
			if (batch != null && batch.writableBytes() < frame.encodedLength()) {
				this.channel.write(batch, this.channel.voidPromise());
				batch = null;
			}
			if (batch == null) {
				batch = this.channel.alloc().ioBuffer(Math.max(BATCH_BYTES, frame.encodedLength()));
			}
			FrameEncoder.encode(frame, batch);
		}
		if (batch != null) {
			this.channel.writeAndFlush(batch, this.channel.voidPromise());
		}
	}

	/**
	 * Hands every queued frame to the pipeline as it is, for a protocol binding's encoder to translate, and flushes once.
	 */
	private void drainFrames() {
		Frame frame;
		boolean wrote = false;
		while ((frame = this.queue.poll()) != null) {
			this.channel.write(frame, this.channel.voidPromise());
			wrote = true;
		}
		if (wrote) {
			this.channel.flush();
		}
	}

}

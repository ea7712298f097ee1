package dev.dualsocket.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The physical limit: plain JDK blocking sockets moving the same frames, and nothing else. Everything is done in
 * bulk: one read takes whatever has arrived, and one write sends every frame that is ready.
 */
public final class RawSockets {

	private RawSockets() {
	}

	/** Whole frames out of a byte stream, read in bulk: one {@code read} per batch of whatever has arrived. */
	static final class FrameReader {

		private final InputStream in;

		byte[] buffer = new byte[256 * 1024];

		/** Start of the first unconsumed frame. */
		int start;

		private int end;

		FrameReader(InputStream in) {
			this.in = in;
		}

		/** Blocks until at least one whole frame is buffered; {@code false} at the end of the stream. */
		boolean fill() throws IOException {
			while (!hasFrame()) {
				if (this.start == this.end) {
					this.start = 0;
					this.end = 0;
				}
				else if (this.buffer.length - this.end < 64 * 1024) {
					System.arraycopy(this.buffer, this.start, this.buffer, 0, this.end - this.start);
					this.end -= this.start;
					this.start = 0;
				}
				int read = this.in.read(this.buffer, this.end, this.buffer.length - this.end);
				if (read < 0) {
					return false;
				}
				this.end += read;
			}
			return true;
		}

		boolean hasFrame() {
			int available = this.end - this.start;
			return available >= WireFrames.PREFIX
					&& available >= WireFrames.PREFIX + WireFrames.getInt(this.buffer, this.start);
		}

		/** Length of the frame at {@link #start}, prefix included. */
		int frameLength() {
			return WireFrames.PREFIX + WireFrames.getInt(this.buffer, this.start);
		}

	}

	/** A blocking echo server, one thread per connection, answering each read batch with one write. */
	public static final class EchoServer implements AutoCloseable {

		private final ServerSocket listener;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		private volatile boolean closed;

		public EchoServer() throws IOException {
			this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(this::accept, "raw-echo-accept");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		public int port() {
			return this.listener.getLocalPort();
		}

		private void accept() {
			while (!this.closed) {
				try {
					Socket socket = this.listener.accept();
					socket.setTcpNoDelay(true);
					this.sockets.add(socket);
					Thread thread = new Thread(() -> serve(socket), "raw-echo-" + socket.getPort());
					thread.setDaemon(true);
					thread.start();
				}
				catch (IOException ex) {
					// closed
				}
			}
		}

		private static void serve(Socket socket) {
			try (socket) {
				FrameReader frames = new FrameReader(socket.getInputStream());
				OutputStream out = socket.getOutputStream();
				while (frames.fill()) {
					int from = frames.start;
					while (frames.hasFrame()) {
						frames.buffer[frames.start + WireFrames.PREFIX] = WireFrames.RESPONSE;
						frames.start += frames.frameLength();
					}
					out.write(frames.buffer, from, frames.start - from);
				}
			}
			catch (IOException ex) {
				// the client went away
			}
		}

		@Override
		public void close() throws IOException {
			this.closed = true;
			this.listener.close();
			for (Socket socket : this.sockets) {
				socket.close();
			}
		}

	}

	private static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		return socket;
	}

	/** One caller, one blocking socket: write a request, read its answer. */
	public static final class PingPong implements Load.SyncCall, AutoCloseable {

		private final Socket socket;

		private final OutputStream out;

		private final DataInputStream in;

		private final byte[] request;

		private final byte[] response;

		private long id;

		public PingPong(int port, int payloadSize) throws IOException {
			this.socket = connect(port);
			this.out = this.socket.getOutputStream();
			this.in = new DataInputStream(new BufferedInputStream(this.socket.getInputStream(), 8192));
			this.request = new byte[WireFrames.encodedLength(payloadSize)];
			this.response = new byte[WireFrames.encodedLength(payloadSize)];
		}

		@Override
		public void call() throws IOException {
			WireFrames.writeHeader(this.request, 0, WireFrames.REQUEST, ++this.id,
					this.request.length - WireFrames.PAYLOAD_OFFSET);
			this.out.write(this.request);
			int length = this.in.readInt();
			this.in.readFully(this.response, 0, length);
			if (WireFrames.getLong(this.response, 2) != this.id) {
				throw new IOException("answer to the wrong request");
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

	/**
	 * One connection, a writer thread (the caller's) that keeps up to {@code window} requests in flight and a reader
	 * thread that takes the answers. The writer sends every request the window has room for in one write, once half
	 * the window is free; each request carries its send time in its payload, so the two threads share nothing but a
	 * count.
	 */
	public static RoundResult pipelined(int port, int payloadSize, int window, Duration duration) throws Exception {
		Socket socket = connect(port);
		try {
			OutputStream out = socket.getOutputStream();
			FrameReader frames = new FrameReader(socket.getInputStream());
			Window flow = new Window(Thread.currentThread(), window);
			Recorder recorder = new Recorder();
			Histogram histogram = recorder.newHistogram();
			Thread reader = new Thread(() -> {
				try {
					while (frames.fill()) {
						long now = System.nanoTime();
						int answered = 0;
						while (frames.hasFrame()) {
							histogram.record(now - WireFrames.getLong(frames.buffer, frames.start + WireFrames.PAYLOAD_OFFSET));
							frames.start += frames.frameLength();
							answered++;
						}
						flow.answered(answered);
					}
				}
				catch (IOException ex) {
					// closed after the round
				}
			}, "raw-pipelined-reader");
			reader.setDaemon(true);
			reader.start();
			int frameLength = WireFrames.encodedLength(payloadSize);
			byte[] batch = new byte[window * frameLength];
			Cost before = Cost.now();
			long start = System.nanoTime();
			long end = start + duration.toNanos();
			long sent = 0;
			while (System.nanoTime() < end) {
				flow.awaitRoom(sent);
				int room = (int) (window - (sent - flow.answeredCount()));
				long now = System.nanoTime();
				for (int i = 0; i < room; i++) {
					int offset = i * frameLength;
					WireFrames.writeHeader(batch, offset, WireFrames.REQUEST, ++sent, payloadSize);
					WireFrames.putLong(batch, offset + WireFrames.PAYLOAD_OFFSET, now);
				}
				out.write(batch, 0, room * frameLength);
			}
			flow.awaitAnswered(sent, TimeUnit.SECONDS.toNanos(30));
			long last = System.nanoTime();
			Cost cost = Cost.now().since(before);
			long missing = sent - flow.answeredCount();
			socket.close();
			reader.join(5_000);
			return RoundResult.of(recorder.merged(), start, last, missing, cost);
		}
		finally {
			socket.close();
		}
	}

	/**
	 * Flow control between one writer and one reader: the writer parks until half the window is free, and the reader
	 * wakes it then.
	 */
	private static final class Window {

		private final Thread writer;

		private final int size;

		private final AtomicLong answered = new AtomicLong();

		private volatile long wakeAt = Long.MAX_VALUE;

		Window(Thread writer, int size) {
			this.writer = writer;
			this.size = size;
		}

		void answered(int count) {
			long done = this.answered.addAndGet(count);
			if (done >= this.wakeAt) {
				this.wakeAt = Long.MAX_VALUE;
				LockSupport.unpark(this.writer);
			}
		}

		/** Returns once at least half the window is free. */
		void awaitRoom(long sent) {
			long target = sent - this.size / 2;
			if (this.answered.get() >= target) {
				return;
			}
			this.wakeAt = target;
			while (this.answered.get() < target) {
				LockSupport.parkNanos(this, 1_000_000);
			}
			this.wakeAt = Long.MAX_VALUE;
		}

		void awaitAnswered(long sent, long timeoutNanos) {
			long deadline = System.nanoTime() + timeoutNanos;
			this.wakeAt = sent;
			while (this.answered.get() < sent && System.nanoTime() < deadline) {
				LockSupport.parkNanos(this, 1_000_000);
			}
			this.wakeAt = Long.MAX_VALUE;
		}

		long answeredCount() {
			return this.answered.get();
		}

	}

	/**
	 * Many synchronous callers on one connection, with correlation ids: a caller hands its request to the writer
	 * thread and parks; the writer sends every queued request in one write; the reader thread hands each answer to the
	 * caller its id names and unparks it.
	 */
	public static final class Multiplexed implements AutoCloseable {

		private final Socket socket;

		private final OutputStream out;

		private final FrameReader frames;

		private final ConcurrentLinkedQueue<Slot> queue = new ConcurrentLinkedQueue<>();

		private final Slot[] slots;

		private final Thread writer;

		private final Thread reader;

		private final int payloadSize;

		private volatile boolean writerParked;

		private volatile boolean closed;

		public Multiplexed(int port, int payloadSize, int callers) throws IOException {
			this.socket = connect(port);
			this.payloadSize = payloadSize;
			this.out = this.socket.getOutputStream();
			this.frames = new FrameReader(this.socket.getInputStream());
			this.slots = new Slot[callers];
			for (int i = 0; i < callers; i++) {
				this.slots[i] = new Slot(i);
			}
			this.writer = new Thread(this::write, "raw-mux-writer");
			this.reader = new Thread(this::read, "raw-mux-reader");
			this.writer.setDaemon(true);
			this.reader.setDaemon(true);
			this.writer.start();
			this.reader.start();
		}

		/** The call caller {@code index} makes; each caller must use its own index. */
		public Load.SyncCall caller(int index) {
			Slot slot = this.slots[index];
			return () -> {
				slot.thread = Thread.currentThread();
				slot.done = false;
				slot.sequence++;
				this.queue.offer(slot);
				if (this.writerParked) {
					LockSupport.unpark(this.writer);
				}
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				while (!slot.done) {
					LockSupport.parkNanos(this, 1_000_000);
					if (System.nanoTime() > deadline) {
						throw new IOException("no answer within 10 s");
					}
				}
			};
		}

		private void write() {
			int frameLength = WireFrames.encodedLength(this.payloadSize);
			byte[] batch = new byte[this.slots.length * frameLength];
			try {
				while (!this.closed) {
					int count = 0;
					Slot slot;
					while (count < this.slots.length && (slot = this.queue.poll()) != null) {
						long id = (slot.sequence << 16) | slot.index;
						WireFrames.writeHeader(batch, count * frameLength, WireFrames.REQUEST, id, this.payloadSize);
						count++;
					}
					if (count > 0) {
						this.out.write(batch, 0, count * frameLength);
						continue;
					}
					this.writerParked = true;
					if (this.queue.isEmpty() && !this.closed) {
						LockSupport.parkNanos(this, 1_000_000);
					}
					this.writerParked = false;
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		private void read() {
			try {
				while (this.frames.fill()) {
					while (this.frames.hasFrame()) {
						long id = WireFrames.getLong(this.frames.buffer, this.frames.start + WireFrames.PREFIX + 2);
						this.frames.start += this.frames.frameLength();
						Slot slot = this.slots[(int) (id & 0xffff)];
						slot.done = true;
						LockSupport.unpark(slot.thread);
					}
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		@Override
		public void close() throws IOException {
			this.closed = true;
			this.socket.close();
			LockSupport.unpark(this.writer);
		}

		private static final class Slot {

			final int index;

			long sequence;

			volatile Thread thread;

			volatile boolean done;

			Slot(int index) {
				this.index = index;
			}

		}

	}

}

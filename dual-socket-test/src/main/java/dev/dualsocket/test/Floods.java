package dev.dualsocket.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

import dev.dualsocket.test.Attacker.ConnectionFlood;
import dev.dualsocket.test.Attacker.HeartbeatFlood;
import dev.dualsocket.test.Attacker.RequestFlood;

/**
 * How {@link Attacker}'s floods are made, and what they count. The connection flood and the request flood watch many
 * sockets, or sockets whose writes would block, with a {@link Selector}: a blocking socket cannot tell that the
 * server closed it or stopped reading without a thread parked on each.
 */
final class Floods {

	/** A connection closed this soon after it was opened counts as closed at once. */
	private static final Duration AT_ONCE = Duration.ofSeconds(1);

	/** Writes that make no progress for this long mean the server has stopped reading. */
	private static final Duration STALL = Duration.ofMillis(500);

	/** Heartbeats written at once on each connection of the heartbeat flood: far more than 50 in one second. */
	static final int HEARTBEAT_BURST = 256;

	private final InetSocketAddress server;

	private final Duration patience;

	Floods(InetSocketAddress server, Duration patience) {
		this.server = server;
		this.patience = patience;
	}

	ConnectionFlood connections(int connections) throws IOException {
		long started = System.nanoTime();
		ConnectionTally tally = new ConnectionTally();
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < connections; i++) {
				long waitUntil = System.nanoTime() + this.patience.toNanos();
				while (tally.open >= Attacker.MAX_OPEN_CONNECTIONS && System.nanoTime() < waitUntil) {
					tally.reap(selector, 100);
				}
				if (tally.open >= Attacker.MAX_OPEN_CONNECTIONS) {
					break; // the server closes nothing: opening more would only cost this JVM descriptors
				}
				SocketChannel channel = SocketChannel.open();
				try {
					channel.socket().connect(this.server, millis(this.patience));
					channel.configureBlocking(false);
					channel.register(selector, SelectionKey.OP_READ, new long[] { System.nanoTime(), 0 });
					tally.opened++;
					tally.open++;
				}
				catch (IOException ex) {
					channel.close();
					tally.refused++;
				}
				tally.reap(selector, 0);
			}
			long waitUntil = System.nanoTime() + this.patience.toNanos();
			while (tally.open > 0 && System.nanoTime() < waitUntil) {
				tally.reap(selector, 100);
			}
			for (SelectionKey key : selector.keys()) {
				key.channel().close();
			}
		}
		return new ConnectionFlood(tally.opened, tally.refused, tally.closedAtOnce, tally.closedLater, tally.answered,
				tally.open, Duration.ofNanos(tally.longestOpen), Duration.ofNanos(System.nanoTime() - started));
	}

	RequestFlood requestsWithoutReading(int connections, Duration duration) throws InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		RequestTally tally = new RequestTally();
		List<Thread> floods = new ArrayList<>();
		for (int i = 1; i <= connections; i++) {
			String linkId = "attacker-requests-" + i;
			Thread flood = new Thread(() -> floodRequests(linkId, deadline, tally), "attacker-" + linkId);
			flood.setDaemon(true);
			flood.start();
			floods.add(flood);
		}
		for (Thread flood : floods) {
			flood.join();
		}
		return new RequestFlood(tally.sessions.get(), tally.handshakesFailed.get(), tally.requests.get(),
				tally.mostBytes.get(), tally.stoppedReading.get(), tally.closedByServer.get());
	}

	private void floodRequests(String linkId, long deadline, RequestTally tally) {
		while (System.nanoTime() < deadline) {
			try (HandMadeLink link = HandMadeLink.establish(this.server, linkId, this.patience)) {
				tally.sessions.incrementAndGet();
				writeWithoutReading(link.outbound(), deadline, tally);
			}
			catch (HandMadeLink.Refused ex) {
				// LINK_IN_USE: the server has not yet seen the flood's previous session of this link go (section 4.4)
				// and rightly refuses a new one until then; anything else is a failed handshake.
				if (!"LINK_IN_USE".equals(ex.answer().reasonName())) {
					tally.handshakesFailed.incrementAndGet();
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a refusing server is not hammered
			}
			catch (IOException ex) {
				tally.handshakesFailed.incrementAndGet();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a refusing server is not hammered
			}
		}
	}

	private void writeWithoutReading(SocketChannel channel, long deadline, RequestTally tally) throws IOException {
		int frameLength = 14 + Attacker.REQUEST_PAYLOAD;
		ByteBuffer frames = ByteBuffer.allocate(16 * frameLength);
		frames.position(frames.limit()); // nothing to write yet: the loop numbers the first frames
		long id = 0;
		long written = 0;
		long lastProgress = System.nanoTime();
		boolean stalled = false;
		channel.configureBlocking(false);
		try (Selector selector = Selector.open()) {
			channel.register(selector, SelectionKey.OP_WRITE);
			while (System.nanoTime() < deadline) {
				if (!frames.hasRemaining()) {
					frames.clear();
					for (int at = 0; at < frames.capacity(); at += frameLength) {
						frames.putInt(at, frameLength - 4)
							.put(at + 4, (byte) RawConnection.REQUEST)
							.putLong(at + 6, ++id);
					}
				}
				int progress;
				try {
					progress = channel.write(frames);
				}
				catch (IOException ex) {
					tally.closedByServer.incrementAndGet();
					break;
				}
				written += progress;
				if (progress > 0) {
					lastProgress = System.nanoTime();
				}
				else {
					if (!stalled && System.nanoTime() - lastProgress >= STALL.toNanos()) {
						stalled = true;
						tally.stoppedReading.incrementAndGet();
					}
					selector.select(100);
					selector.selectedKeys().clear();
				}
			}
		}
		tally.requests.addAndGet(written / frameLength);
		tally.mostBytes.accumulate(written);
	}

	HeartbeatFlood heartbeats(Duration duration) throws IOException {
		long deadline = System.nanoTime() + duration.toNanos();
		ByteBuffer burst = ByteBuffer.allocate(HEARTBEAT_BURST * 22);
		while (burst.hasRemaining()) {
			burst.putInt(18).put((byte) RawConnection.HEARTBEAT).put((byte) 0)
				.putLong(ThreadLocalRandom.current().nextLong()).putLong(0);
		}
		HeartbeatTally tally = new HeartbeatTally();
		HandMadeLink link = HandMadeLink.establish(this.server, "attacker-heartbeats", this.patience);
		try {
			SocketChannel outbound = link.outbound();
			while (tally.flood(new RawConnection(outbound.socket(), this.patience), burst.array())
					&& System.nanoTime() < deadline) {
				try {
					outbound = link.rejoinOutbound();
				}
				catch (HandMadeLink.Refused ex) {
					link.close();
					link = HandMadeLink.establish(this.server, "attacker-heartbeats", this.patience);
					outbound = link.outbound();
				}
			}
		}
		finally {
			link.close();
		}
		return new HeartbeatFlood(tally.connections, tally.sent, tally.mostAnswered, tally.closedByServer,
				Duration.ofNanos(tally.slowestClose));
	}

	private static int millis(Duration duration) {
		return Math.toIntExact(duration.toMillis());
	}

	/** The connection flood's counts; touched by its one thread only. */
	private static final class ConnectionTally {

		private final ByteBuffer scratch = ByteBuffer.allocate(4096);

		int opened;

		int open;

		int refused;

		int closedAtOnce;

		int closedLater;

		int answered;

		long longestOpen;

		/** Closes what the server closed; each key's attachment is {when opened, whether the server sent bytes}. */
		void reap(Selector selector, long timeoutMillis) throws IOException {
			if (((timeoutMillis == 0) ? selector.selectNow() : selector.select(timeoutMillis)) == 0) {
				return;
			}
			for (SelectionKey key : selector.selectedKeys()) {
				long[] connection = (long[]) key.attachment();
				int read;
				try {
					read = ((SocketChannel) key.channel()).read(this.scratch.clear());
				}
				catch (IOException ex) {
					read = -1;
				}
				if (read > 0 && connection[1]++ == 0) {
					this.answered++;
				}
				if (read < 0) {
					long lived = System.nanoTime() - connection[0];
					this.longestOpen = Math.max(this.longestOpen, lived);
					if (lived <= AT_ONCE.toNanos()) {
						this.closedAtOnce++;
					}
					else {
						this.closedLater++;
					}
					this.open--;
					key.channel().close();
				}
			}
			selector.selectedKeys().clear();
		}

	}

	/** The request flood's counts, from all its threads. */
	private static final class RequestTally {

		final AtomicInteger sessions = new AtomicInteger();

		final AtomicInteger handshakesFailed = new AtomicInteger();

		final AtomicLong requests = new AtomicLong();

		final LongAccumulator mostBytes = new LongAccumulator(Math::max, 0);

		final AtomicInteger stoppedReading = new AtomicInteger();

		final AtomicInteger closedByServer = new AtomicInteger();

	}

	/** The heartbeat flood's counts; touched by its one thread only. */
	private static final class HeartbeatTally {

		int connections;

		long sent;

		int mostAnswered;

		int closedByServer;

		long slowestClose;

		/**
		 * Floods one connection and reads until the server closes it.
		 * @return {@code false} if the server left it open for the whole patience
		 */
		boolean flood(RawConnection connection, byte[] burst) {
			this.connections++;
			long started = System.nanoTime();
			int answered = 0;
			try (connection) {
				connection.writeBytes(burst);
				this.sent += HEARTBEAT_BURST;
				while (true) {
					if (connection.readFrame().type() == RawConnection.HEARTBEAT_ACK) {
						answered++;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				this.closedByServer++;
				this.slowestClose = Math.max(this.slowestClose, System.nanoTime() - started);
				return true;
			}
			finally {
				this.mostAnswered = Math.max(this.mostAnswered, answered);
			}
		}

	}

}

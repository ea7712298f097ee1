package dev.dualsocket.transport;

import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.MultithreadEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The threads and timers that every link of an application shares, so that the cost of a link is memory, not
 * threads: the event loops that do all socket I/O, one timer for request and recovery deadlines, a bounded pool that
 * runs request handlers off the event loops, a bounded pool for clients' blocking re-connect attempts (threads exist
 * only while attempts run), two threads that deliver events to listeners, and one thread that watches network
 * interfaces. A pool starts a thread only when a task finds none of its threads idle, so its size follows the work at
 * once rather than the number of tasks ever handed to it.
 *
 * <p>The I/O is the native epoll transport when it is asked for, on the class path
 * ({@code io.netty:netty-transport-native-epoll} with the platform's classifier, an optional dependency) and
 * {@link Epoll#isAvailable() available} here; else NIO. Starting logs which one at INFO, and why not epoll.
 */
public final class TransportResources implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(TransportResources.class);

	private final EventLoopGroup eventLoopGroup;

	private final boolean nativeTransport;

	private final Timer timer;

	private final @Nullable ThreadPoolExecutor handlerPool;

	private final ThreadPoolExecutor recoveryExecutor;

	private final EventThreads eventThreads;

	private final ScheduledExecutorService monitorExecutor;

	private final InterfaceMonitor interfaceMonitor;

	/** Threads that deliver events and request observations; a listener that blocks holds one of them. */
	private static final int EVENT_THREADS = 2;

	private TransportResources(TransportSettings settings) {
		String noEpoll = whyNotEpoll(settings);
		this.nativeTransport = noEpoll == null;
		IoHandlerFactory ioHandlerFactory = this.nativeTransport ? NativeEpoll.ioHandlerFactory()
				: NioIoHandler.newFactory();
		MultithreadEventLoopGroup ioThreads = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
				threads("dual-socket-io"), ioHandlerFactory);
		this.eventLoopGroup = ioThreads;
		this.timer = new HashedWheelTimer(threads("dual-socket-timer"), 10, TimeUnit.MILLISECONDS);
		this.handlerPool = (settings.handlerThreads() > 0)
				? pool(settings.handlerThreads(), settings.handlerQueueCapacity(), "dual-socket-handler")
				: null;
		// Unbounded queue: re-connect attempts wait for a thread rather than fail; each link runs one at a time.
		this.recoveryExecutor = pool(settings.recoveryThreads(), Integer.MAX_VALUE, "dual-socket-recovery");
		this.eventThreads = new EventThreads(EVENT_THREADS);
		this.monitorExecutor = Executors.newSingleThreadScheduledExecutor(threads("dual-socket-monitor"));
		this.interfaceMonitor = new InterfaceMonitor(this.monitorExecutor);
		long poll = settings.interfacePollInterval().toMillis();
		this.monitorExecutor.scheduleWithFixedDelay(this::pollInterfaces, poll, poll, TimeUnit.MILLISECONDS);
		logger.info("dual-socket transport: " + (this.nativeTransport ? "epoll (native)" : "NIO (" + noEpoll + ")") + ", "
				+ ioThreads.executorCount() + " I/O threads");
	}

	/**
	 * Why the I/O is not the native epoll transport, for the start-up line.
	 * @return the reason, or {@code null} when it is epoll
	 */
	private static @Nullable String whyNotEpoll(TransportSettings settings) {
		if (!settings.nativeTransport()) {
			return "the native transport is switched off: native-transport=false";
		}
		if (!NativeEpoll.onClassPath()) {
			return "the native epoll transport is not on the class path; add " + NativeEpoll.ARTIFACT + ":"
					+ NativeEpoll.classifier() + " for it";
		}
		return NativeEpoll.whyUnavailable();
	}

	/**
	 * The native epoll transport, touched only once it is known to be on the class path: it is an optional dependency,
	 * and its classes are loaded by this holder alone.
	 */
	private static final class NativeEpoll {

		static final String ARTIFACT = "io.netty:netty-transport-native-epoll";

		private static final String EPOLL_CLASS = "io.netty.channel.epoll.Epoll";

		static boolean onClassPath() {
			try {
				Class.forName(EPOLL_CLASS, false, TransportResources.class.getClassLoader());
				return true;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return false;
			}
		}

		/** The jar's classifier for this machine; epoll is Linux only. */
		static String classifier() {
			String arch = System.getProperty("os.arch", "");
			return (arch.equals("aarch64") || arch.equals("arm64")) ? "linux-aarch_64" : "linux-x86_64";
		}

		/** Why epoll cannot be used here although its classes are present (not Linux, no native library for it). */
		static @Nullable String whyUnavailable() {
			if (Epoll.isAvailable()) {
				return null;
			}
			if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
				return "the native epoll transport is Linux only";
			}
			Throwable cause = Epoll.unavailabilityCause();
			return "the native epoll transport is not available here"
					+ ((cause != null) ? " (" + Connections.describeError(cause) + ")" : "") + "; add " + ARTIFACT + ":"
					+ classifier() + " for it";
		}

		static IoHandlerFactory ioHandlerFactory() {
			return EpollIoHandler.newFactory();
		}

		static Class<? extends SocketChannel> socketChannelType() {
			return EpollSocketChannel.class;
		}

		static Class<? extends ServerSocketChannel> serverSocketChannelType() {
			return EpollServerSocketChannel.class;
		}

	}

	/**
	 * Starts the shared threads.
	 * @param settings thread counts and polling interval
	 * @return the running resources
	 */
	public static TransportResources create(TransportSettings settings) {
		return new TransportResources(settings);
	}

	/**
	 * A pool of at most {@code threads} threads, none of them kept: a thread ends after a minute without work. A task
	 * goes to a thread that will be free for it, else to a new thread while there are fewer than {@code threads}, else
	 * it waits in the queue; a task that finds the queue full is rejected. (A plain {@link ThreadPoolExecutor} would
	 * start a new thread for every task until it has {@code threads} of them, however many stand idle.)
	 */
	private static ThreadPoolExecutor pool(int threads, int queueCapacity, String prefix) {
		return new GrowingPool(threads, new GrowingQueue(queueCapacity, threads), prefix);
	}

	/**
	 * A pool that queues a task only when a thread will be free for it: while fewer tasks are submitted and unfinished
	 * than it has threads, or when it has all its threads. Otherwise it starts a thread. Counting unfinished tasks,
	 * rather than idle threads, means two tasks that arrive together never both wait for the one idle thread while the
	 * pool could grow (a handler that blocks would hold the other back). Its queue keeps both counts.
	 */
	private static final class GrowingPool extends ThreadPoolExecutor {

		private final GrowingQueue queue;

		GrowingPool(int threads, GrowingQueue queue, String prefix) {
			super(0, threads, 60, TimeUnit.SECONDS, queue, counted(threads(prefix), queue.running), (task, pool) -> {
				if (pool.isShutdown() || !queue.enqueue(task)) {
					throw new RejectedExecutionException("Task rejected: the " + prefix + " pool's " + threads
							+ " threads are busy and its queue of " + queue.capacity + " is full");
				}
			});
			this.queue = queue;
		}

		/** Counts the threads that run, for the queue's decision. */
		private static ThreadFactory counted(ThreadFactory threads, AtomicInteger running) {
			return (task) -> threads.newThread(() -> {
				running.incrementAndGet();
				try {
					task.run();
				}
				finally {
					running.decrementAndGet();
				}
			});
		}

		@Override
		public void execute(Runnable command) {
			this.queue.unfinished.incrementAndGet();
			try {
				super.execute(command);
			}
			catch (RejectedExecutionException ex) {
				this.queue.unfinished.decrementAndGet();
				throw ex;
			}
		}

		@Override
		protected void afterExecute(Runnable task, Throwable failure) {
			this.queue.unfinished.decrementAndGet();
		}

	}

	private static final class GrowingQueue extends LinkedBlockingQueue<Runnable> {

		private final int capacity;

		private final int maxThreads;

		/** Tasks submitted to the pool and not yet finished. */
		private final AtomicInteger unfinished = new AtomicInteger();

		/** The pool's running threads, counted without the pool's lock, which getPoolSize() takes on every task. */
		private final AtomicInteger running = new AtomicInteger();

		GrowingQueue(int capacity, int maxThreads) {
			super(capacity);
			this.capacity = capacity;
			this.maxThreads = maxThreads;
		}

		@Override
		public boolean offer(Runnable task) {
			int threads = this.running.get();
			if (this.unfinished.get() > threads && threads < this.maxThreads) {
				return false; // no thread will be free for it: the pool starts one
			}
			return super.offer(task);
		}

		boolean enqueue(Runnable task) {
			return super.offer(task);
		}

	}

	private static ThreadFactory threads(String prefix) {
		return new DefaultThreadFactory(prefix, true);
	}

	private void pollInterfaces() {
		try {
			this.interfaceMonitor.poll();
		}
		catch (RuntimeException ex) {
			logger.warn("Network interface check failed; will try again", ex);
		}
	}

	public EventLoopGroup eventLoopGroup() {
		return this.eventLoopGroup;
	}

	public Class<? extends SocketChannel> socketChannelType() {
		return this.nativeTransport ? NativeEpoll.socketChannelType() : NioSocketChannel.class;
	}

	public Class<? extends ServerSocketChannel> serverSocketChannelType() {
		return this.nativeTransport ? NativeEpoll.serverSocketChannelType() : NioServerSocketChannel.class;
	}

	/**
	 * Whether I/O uses the native epoll transport.
	 * @return {@code true} for epoll, {@code false} for NIO
	 */
	public boolean isNativeTransport() {
		return this.nativeTransport;
	}

	/**
	 * The timer for request timeouts and recovery deadlines (10 ms resolution).
	 * @return the timer
	 */
	public Timer timer() {
		return this.timer;
	}

	/**
	 * What runs request handlers: the bounded handler pool, which rejects work when its queue is full, or the calling
	 * event loop itself when the settings ask for no handler threads.
	 * @return the executor
	 */
	public Executor handlerExecutor() {
		return (this.handlerPool != null) ? this.handlerPool : Runnable::run;
	}

	/**
	 * How many threads the handler pool has at most.
	 * @return the thread count, 0 when handlers run on the event loops
	 */
	public int handlerThreads() {
		return (this.handlerPool != null) ? this.handlerPool.getMaximumPoolSize() : 0;
	}

	/**
	 * The pool for blocking recovery procedures.
	 * @return the executor
	 */
	public ExecutorService recoveryExecutor() {
		return this.recoveryExecutor;
	}

	/**
	 * The threads that deliver events and request observations to listeners, off the I/O threads and locks.
	 * @return the event threads
	 */
	public EventThreads eventThreads() {
		return this.eventThreads;
	}

	public InterfaceMonitor interfaceMonitor() {
		return this.interfaceMonitor;
	}

	@Override
	public void close() {
		this.monitorExecutor.shutdownNow();
		this.eventThreads.close();
		this.recoveryExecutor.shutdownNow();
		this.eventLoopGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		if (this.handlerPool != null) {
			this.handlerPool.shutdown();
		}
		this.timer.stop();
	}

}

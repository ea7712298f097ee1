package dev.dualsocket.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * What the library's own transport costs: a bare Netty echo server with the same frames, and bare Netty clients, on
 * the same kind of event loops the library uses (native epoll where available, else NIO; or NIO on request). The
 * server flips the type byte of each frame it reads and writes the same buffer back, flushing once per read batch.
 */
public final class NettyEcho implements AutoCloseable {

	private static final int MAX_FRAME = 1024 * 1024;

	private final EventLoopGroup group;

	private final boolean epoll;

	private final Channel server;

	private final ThreadPoolExecutor handlerPool;

	private final boolean coalesce;

	public NettyEcho(boolean nativeTransport) {
		this(nativeTransport, false, false);
	}

	/**
	 * @param nativeTransport epoll where available, else NIO
	 * @param handlerPool answer each request from a pool thread, as the library does (its default handler pool:
	 * 16 threads, a bounded queue), instead of on the event loop
	 * @param coalesce write from other threads through a {@link CoalescingWriter} (both the pool's answers and the
	 * caller clients' requests)
	 */
	public NettyEcho(boolean nativeTransport, boolean handlerPool, boolean coalesce) {
		this.coalesce = coalesce;
		this.handlerPool = handlerPool ? new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(10_000), new DefaultThreadFactory("netty-echo-handler", true)) : null;
		this.epoll = nativeTransport && Epoll.isAvailable();
		this.group = new MultiThreadIoEventLoopGroup(0,
				this.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		this.server = new ServerBootstrap().group(this.group)
			.channel(this.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4))
						.addLast(new EchoHandler(NettyEcho.this.handlerPool,
								coalesce ? new CoalescingWriter(channel) : null));
				}
			})
			.bind("127.0.0.1", 0)
			.syncUninterruptibly()
			.channel();
	}

	public boolean isEpoll() {
		return this.epoll;
	}

	private int port() {
		return ((InetSocketAddress) this.server.localAddress()).getPort();
	}

	private Channel connect(ChannelInboundHandlerAdapter handler) {
		return new Bootstrap().group(this.group)
			.channel(this.epoll ? EpollSocketChannel.class : NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4)).addLast(handler);
				}
			})
			.connect("127.0.0.1", port())
			.syncUninterruptibly()
			.channel();
	}

	static ByteBuf request(ByteBuf buffer, long id, int payloadSize) {
		buffer.writeInt(WireFrames.HEADER + payloadSize);
		buffer.writeByte(WireFrames.REQUEST);
		buffer.writeByte(0);
		buffer.writeLong(id);
		buffer.writeLong(System.nanoTime());
		buffer.writeZero(payloadSize - 8);
		return buffer;
	}

	@Override
	public void close() {
		this.server.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		if (this.handlerPool != null) {
			this.handlerPool.shutdownNow();
		}
	}

	private static final class EchoHandler extends ChannelInboundHandlerAdapter {

		private final ThreadPoolExecutor pool;

		private final CoalescingWriter writer;

		EchoHandler(ThreadPoolExecutor pool, CoalescingWriter writer) {
			this.pool = pool;
			this.writer = writer;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf frame = (ByteBuf) msg;
			frame.setByte(WireFrames.PREFIX, WireFrames.RESPONSE);
			if (this.pool == null) {
				ctx.write(frame, ctx.voidPromise());
			}
			else if (this.writer != null) {
				this.pool.execute(() -> this.writer.write(frame));
			}
			else {
				Channel channel = ctx.channel();
				this.pool.execute(() -> channel.writeAndFlush(frame, channel.voidPromise()));
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

	}

	/**
	 * A client used the way the library is used: the caller's thread writes each request (writeAndFlush from outside
	 * the event loop) and the answer completes a future on the event loop.
	 */
	public CallerClient callerClient(int payloadSize) {
		return new CallerClient(payloadSize);
	}

	public final class CallerClient implements AutoCloseable {

		private final int payloadSize;

		private final ConcurrentHashMap<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

		private final AtomicLong ids = new AtomicLong();

		private final Channel channel;

		private final CoalescingWriter writer;

		CallerClient(int payloadSize) {
			this.payloadSize = payloadSize;
			this.channel = connect(new ChannelInboundHandlerAdapter() {
				@Override
				public void channelRead(ChannelHandlerContext ctx, Object msg) {
					ByteBuf frame = (ByteBuf) msg;
					long id = frame.getLong(WireFrames.PREFIX + 2);
					ReferenceCountUtil.release(frame);
					CompletableFuture<Void> answer = CallerClient.this.waiting.remove(id);
					if (answer != null) {
						answer.complete(null);
					}
				}
			});
			this.writer = NettyEcho.this.coalesce ? new CoalescingWriter(this.channel) : null;
		}

		public CompletableFuture<Void> send() {
			long id = this.ids.incrementAndGet();
			CompletableFuture<Void> answer = new CompletableFuture<>();
			this.waiting.put(id, answer);
			ByteBuf frame = request(this.channel.alloc().ioBuffer(WireFrames.encodedLength(this.payloadSize)), id,
					this.payloadSize);
			if (this.writer != null) {
				this.writer.write(frame);
			}
			else {
				this.channel.writeAndFlush(frame, this.channel.voidPromise());
			}
			return answer;
		}

		@Override
		public void close() {
			this.channel.close().syncUninterruptibly();
		}

	}

	/**
	 * Netty at its best: {@code window} requests in flight, every new request written by the event loop as an answer
	 * arrives, one flush per read batch. Nothing crosses threads.
	 */
	public RoundResult pipelined(int payloadSize, int window, Duration duration) throws Exception {
		Recorder recorder = new Recorder();
		CompletableFuture<Void> drained = new CompletableFuture<>();
		Cost before = Cost.now();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		Channel channel = connect(new ChannelInboundHandlerAdapter() {

			private long ids;

			private long inFlight;

			private Histogram histogram;

			@Override
			public void channelActive(ChannelHandlerContext ctx) throws Exception {
				this.histogram = recorder.newHistogram();
				for (int i = 0; i < window; i++) {
					send(ctx);
				}
				ctx.flush();
				super.channelActive(ctx);
			}

			private void send(ChannelHandlerContext ctx) {
				this.inFlight++;
				ctx.write(request(ctx.alloc().ioBuffer(WireFrames.encodedLength(payloadSize)), ++this.ids, payloadSize),
						ctx.voidPromise());
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				ByteBuf frame = (ByteBuf) msg;
				long now = System.nanoTime();
				this.histogram.record(now - frame.getLong(WireFrames.PAYLOAD_OFFSET));
				frame.release();
				this.inFlight--;
				if (now < end) {
					send(ctx);
				}
				else if (this.inFlight == 0) {
					drained.complete(null);
				}
			}

			@Override
			public void channelReadComplete(ChannelHandlerContext ctx) {
				ctx.flush();
			}
		});
		try {
			drained.get(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
			long last = System.nanoTime();
			return RoundResult.of(recorder.merged(), start, last, 0, Cost.now().since(before));
		}
		finally {
			channel.close().syncUninterruptibly();
		}
	}

}

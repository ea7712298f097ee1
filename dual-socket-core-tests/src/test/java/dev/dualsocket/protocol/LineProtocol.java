package dev.dualsocket.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.HelloReject;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;

/**
 * A binding written only against the SPI, for the engine's tests: a text protocol of one line per message
 * ({@code REQ <n> <text>}, {@code RSP <n> <text>}, {@code ERR <n> <text>}, {@code PING <n>}, {@code PONG <n>}),
 * no handshake, connections paired by port, and request numbers of its own on each connection, which start again at 1
 * on every new connection, as a sequence number does.
 */
final class LineProtocol implements WireProtocol {

	static final LineProtocol INSTANCE = new LineProtocol();

	@Override
	public String getName() {
		return "line";
	}

	@Override
	public InFlightPolicy getInFlightPolicy() {
		return InFlightPolicy.FAIL;
	}

	@Override
	public Pairing getPairing() {
		return Pairing.PORT;
	}

	@Override
	public void initConnection(Channel channel, ConnectionSetup setup) {
		channel.pipeline()
			.addLast(new LineBasedFrameDecoder(1024))
			.addLast(new StringDecoder(StandardCharsets.UTF_8))
			.addLast(new StringEncoder(StandardCharsets.UTF_8))
			.addLast(new Lines());
	}

	@Override
	public ChannelHandler newClientHandshake(ClientHandshake handshake) {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelActive(ChannelHandlerContext ctx) throws Exception {
				ctx.pipeline().remove(this);
				try {
					handshake.accepted(ctx.channel(), null, 0);
				}
				catch (RuntimeException ex) {
					ctx.close();
				}
				super.channelActive(ctx);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) throws Exception {
				handshake.failed(new IOException("closed before the handshake"));
				super.channelInactive(ctx);
			}

		};
	}

	@Override
	public ChannelHandler newServerHandshake(ServerHandshake handshake) {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelActive(ChannelHandlerContext ctx) throws Exception {
				ctx.pipeline().remove(this);
				handshake.finished();
				HandshakeDecision decision = handshake.decide(ctx.channel(), JoinRequest.withoutSession(
						String.valueOf(handshake.endpoint().linkId()), handshake.channelByPort(), false));
				HelloReject rejection = decision.rejection();
				Runnable attach = decision.attach();
				if (rejection != null || attach == null) {
					ctx.close();
					return;
				}
				try {
					attach.run();
				}
				catch (RuntimeException ex) {
					ctx.close();
				}
				super.channelActive(ctx);
			}

		};
	}

	/** Lines to engine frames and back, with this connection's own request numbers. */
	private static final class Lines extends MessageToMessageCodec<String, Frame> {

		/** The peer's request numbers, by the engine's ids for them. */
		private final Map<Long, Long> peerNumbers = new HashMap<>();

		/** The engine's ids of this side's requests, by their numbers on this connection. */
		private final Map<Long, Long> ownIds = new HashMap<>();

		private long nextNumber;

		@Override
		protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
			String text = new String(frame.payload(), StandardCharsets.UTF_8);
			switch (frame.type()) {
				case REQUEST -> {
					long number = ++this.nextNumber;
					this.ownIds.put(number, frame.id());
					out.add("REQ " + number + " " + text + "\n");
				}
				case RESPONSE -> out.add("RSP " + this.peerNumbers.remove(frame.id()) + " " + text + "\n");
				case ERROR -> out.add("ERR " + this.peerNumbers.remove(frame.id()) + " "
						+ ErrorReply.fromFrame(frame).message() + "\n");
				case HEARTBEAT -> out.add("PING " + frame.id() + "\n");
				case HEARTBEAT_ACK -> out.add("PONG " + frame.id() + "\n");
				default -> {
					// CLOSE and the rest: this protocol has nothing to say them with.
				}
			}
		}

		@Override
		protected void decode(ChannelHandlerContext ctx, String line, List<Object> out) {
			String[] parts = line.split(" ", 3);
			long number;
			try {
				number = Long.parseLong(parts[1]);
			}
			catch (RuntimeException ex) {
				throw new ProtocolViolationException("not a line of the line protocol: " + line);
			}
			byte[] text = ((parts.length > 2) ? parts[2] : "").getBytes(StandardCharsets.UTF_8);
			switch (parts[0]) {
				case "REQ" -> {
					long id = Connections.nextPeerRequestId(ctx.channel());
					this.peerNumbers.put(id, number);
					out.add(Frame.request(id, text));
				}
				case "RSP" -> {
					Long id = this.ownIds.remove(number);
					if (id != null) {
						out.add(Frame.response(id, text));
					}
				}
				case "ERR" -> {
					Long id = this.ownIds.remove(number);
					if (id != null) {
						out.add(new ErrorReply(dev.dualsocket.RemoteRequestException.Reason.HANDLER_FAILED,
								new String(text, StandardCharsets.UTF_8)).toFrame(id));
					}
				}
				case "PING" -> out.add(new Frame(FrameType.HEARTBEAT, number, new byte[0]));
				case "PONG" -> out.add(Frame.heartbeatAck(number));
				default -> throw new ProtocolViolationException("unknown line: " + line);
			}
		}

	}

}

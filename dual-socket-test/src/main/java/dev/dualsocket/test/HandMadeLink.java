package dev.dualsocket.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.dualsocket.test.Attacker.Answer;

/**
 * A client link spoken by hand, for {@link Attacker}'s floods: channel 1 opens a session, channel 2 joins it
 * (section 4 of the protocol), and a thread answers the server's heartbeats on channel 2, so that whatever the server
 * does to the link is caused by what the flood does on channel 1. Channel 1 is left to the flood: nothing reads it
 * here.
 */
final class HandMadeLink implements AutoCloseable {

	private static final int CLIENT_OUTBOUND = 1;

	private static final int CLIENT_INBOUND = 2;

	private final InetSocketAddress server;

	private final String linkId;

	private final Duration patience;

	private final long session = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

	private final byte[] token;

	private final SocketChannel inbound;

	private SocketChannel outbound;

	private HandMadeLink(InetSocketAddress server, String linkId, Duration patience) throws IOException {
		this.server = server;
		this.linkId = linkId;
		this.patience = patience;
		SocketChannel opening = SocketChannel.open();
		try {
			this.token = handshake(opening, CLIENT_OUTBOUND, new byte[0]).token();
			this.inbound = SocketChannel.open();
			try {
				handshake(this.inbound, CLIENT_INBOUND, this.token);
			}
			catch (IOException ex) {
				this.inbound.close();
				throw ex;
			}
		}
		catch (IOException ex) {
			opening.close();
			throw ex;
		}
		this.outbound = opening;
		Thread heartbeats = new Thread(this::answerHeartbeats, "attacker-heartbeats-" + linkId);
		heartbeats.setDaemon(true);
		heartbeats.start();
	}

	/**
	 * Opens a session for the link id and joins channel 2 to it.
	 * @throws Refused if the server refuses either handshake
	 * @throws IOException if a connection fails or the server does not answer within the patience
	 */
	static HandMadeLink establish(InetSocketAddress server, String linkId, Duration patience) throws IOException {
		return new HandMadeLink(server, linkId, patience);
	}

	/** Channel 1, connected and blocking; the flood may switch it to non-blocking. */
	SocketChannel outbound() {
		return this.outbound;
	}

	/**
	 * Closes channel 1 and joins a new one to the session, as a client re-connects a failed socket.
	 * @throws Refused if the server refuses the join ({@code SESSION_ENDED} when it no longer holds the session)
	 */
	SocketChannel rejoinOutbound() throws IOException {
		this.outbound.close();
		SocketChannel joining = SocketChannel.open();
		try {
			handshake(joining, CLIENT_OUTBOUND, this.token);
		}
		catch (IOException ex) {
			joining.close();
			throw ex;
		}
		this.outbound = joining;
		return joining;
	}

	/** Connects and sends the HELLO; the caller closes the connection if this fails. */
	private Answer handshake(SocketChannel connection, int channel, byte[] token) throws IOException {
		connection.socket().connect(this.server, Math.toIntExact(this.patience.toMillis()));
		Answer answer = Attacker.answerTo(new RawConnection(connection.socket(), this.patience),
				Attacker.hello(1, channel, this.session, this.linkId, new byte[0], token), this.session);
		if (!answer.accepted()) {
			throw new Refused(answer);
		}
		return answer;
	}

	/** Until channel 2 closes; {@code readUntil} answers every heartbeat on the way and nothing else comes. */
	private void answerHeartbeats() {
		try {
			RawConnection frames = new RawConnection(this.inbound.socket(), Duration.ZERO);
			frames.readUntil(-1);
		}
		catch (IOException ex) {
			// closed: by the server, or by close()
		}
	}

	@Override
	public void close() {
		closeQuietly(this.outbound);
		closeQuietly(this.inbound);
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	/**
	 * The server refused a handshake of the link.
	 */
	static final class Refused extends IOException {

		private final transient Answer answer;

		Refused(Answer answer) {
			super("the server refused the handshake: " + answer);
			this.answer = answer;
		}

		Answer answer() {
			return this.answer;
		}

	}

}

package dev.dualsocket.iso8583;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.jpos.iso.BaseChannel;
import org.jpos.iso.ISOChannel;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOSource;
import org.jpos.util.ThreadPool;

/**
 * jPOS on the other end: an {@link ISOServer} on a port, or one client channel with a thread that reads it. Either
 * answers 0200 with 0210 (DE39 00) and 0800 with 0810, and keeps every message it received.
 */
final class JposPeer implements ISORequestListener, AutoCloseable {

	/** The STAN of requests the peer keeps without answering. */
	static final String UNANSWERED = "999999";

	final List<ISOMsg> received = new CopyOnWriteArrayList<>();

	private final ISOServer server;

	private final BaseChannel channel;

	private final Thread thread;

	private JposPeer(ISOServer server, BaseChannel channel, Thread thread) {
		this.server = server;
		this.channel = channel;
		this.thread = thread;
	}

	/**
	 * An ISOServer listening on a port; its channels are clones of the one given.
	 */
	static JposPeer server(int port, BaseChannel template) {
		ISOServer server = new ISOServer(port, template, new ThreadPool(1, 8));
		JposPeer peer = new JposPeer(server, template, new Thread(server, "jpos-server-" + port));
		server.addISORequestListener(peer);
		peer.thread.setDaemon(true);
		peer.thread.start();
		return peer;
	}

	/**
	 * A client channel, connected, with a thread that reads and answers it.
	 */
	static JposPeer client(BaseChannel channel) throws IOException {
		channel.connect();
		JposPeer[] self = new JposPeer[1];
		Thread reader = new Thread(() -> {
			try {
				while (channel.isConnected()) {
					self[0].process(channel, channel.receive());
				}
			}
			catch (IOException | ISOException ex) {
				// The connection ended: closed by the test, or killed under it.
			}
		}, "jpos-client-" + channel.getPort());
		self[0] = new JposPeer(null, channel, reader);
		reader.setDaemon(true);
		reader.start();
		return self[0];
	}

	/** The server's last connected channel, or the client's channel. */
	ISOChannel channel() {
		return (this.server != null) ? this.server.getLastConnectedISOChannel() : this.channel;
	}

	boolean hasReceived(Predicate<ISOMsg> what) {
		return this.received.stream().anyMatch(what);
	}

	static Predicate<ISOMsg> message(String mti, String stan) {
		return (message) -> {
			try {
				return message.getMTI().equals(mti) && stan.equals(message.getString(11));
			}
			catch (ISOException ex) {
				return false;
			}
		};
	}

	static Predicate<ISOMsg> echoTest() {
		return (message) -> {
			try {
				return message.getMTI().equals("0800") && "301".equals(message.getString(70));
			}
			catch (ISOException ex) {
				return false;
			}
		};
	}

	@Override
	public boolean process(ISOSource source, ISOMsg message) {
		this.received.add(message);
		try {
			String mti = message.getMTI();
			if ((mti.equals("0200") && !UNANSWERED.equals(message.getString(11))) || mti.equals("0800")) {
				ISOMsg answer = (ISOMsg) message.clone();
				answer.setResponseMTI();
				answer.set(39, "00");
				source.send(answer);
			}
		}
		catch (ISOException | IOException ex) {
			// The connection ended meanwhile.
		}
		return true;
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.shutdown();
		}
		else {
			try {
				this.channel.disconnect();
			}
			catch (IOException ex) {
				// Closed already.
			}
		}
		this.thread.interrupt();
	}

}

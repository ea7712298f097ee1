package dev.dualsocket.smpp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.test.Sockets;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * jSMPP's own SMSC on 127.0.0.1, as the peer of a client endpoint: accepts every bind, records it, answers each
 * {@code submit_sm} with message id {@code m1}, {@code m2}, ... and keeps its sessions by bind type.
 */
final class Smsc implements AutoCloseable {

	/** What a bind said. */
	record Bound(BindType type, String systemId, String password, String systemType) {
	}

	final int port = Sockets.freePort();

	final List<Bound> binds = new CopyOnWriteArrayList<>();

	final List<SMPPServerSession> receivers = new CopyOnWriteArrayList<>();

	final List<SMPPServerSession> transmitters = new CopyOnWriteArrayList<>();

	final List<SubmitSm> submitted = new CopyOnWriteArrayList<>();

	private final AtomicInteger messageIds = new AtomicInteger();

	private final SMPPServerSessionListener listener;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private volatile boolean closed;

	Smsc() throws IOException {
		this.listener = new SMPPServerSessionListener(this.port);
		this.listener.setMessageReceiverListener(new Receiver());
		this.threads.execute(this::acceptAll);
	}

	private void acceptAll() {
		while (!this.closed) {
			try {
				SMPPServerSession session = this.listener.accept();
				this.threads.execute(() -> bind(session));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void bind(SMPPServerSession session) {
		try {
			BindRequest request = session.waitForBind(5000);
			this.binds.add(new Bound(request.getBindType(), request.getSystemId(), request.getPassword(),
					request.getSystemType()));
			request.accept("jsmpp-smsc", InterfaceVersion.IF_34);
			(request.getBindType() == BindType.BIND_RX ? this.receivers : this.transmitters).add(session);
		}
		catch (Exception ex) {
			session.close();
		}
	}

	/** The newest receiver session. */
	SMPPServerSession receiver() {
		return this.receivers.get(this.receivers.size() - 1);
	}

	@Override
	public void close() throws Exception {
		this.closed = true;
		this.listener.close();
		this.receivers.forEach(SMPPServerSession::close);
		this.transmitters.forEach(SMPPServerSession::close);
		this.threads.shutdownNow();
		this.threads.awaitTermination(5, TimeUnit.SECONDS);
	}

	private final class Receiver implements ServerMessageReceiverListener {

		@Override
		public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
				throws ProcessRequestException {
			Smsc.this.submitted.add(submitSm);
			try {
				return new SubmitSmResult(new MessageId("m" + Smsc.this.messageIds.incrementAndGet()),
						new OptionalParameter[0]);
			}
			catch (org.jsmpp.PDUStringException ex) {
				throw new ProcessRequestException(ex.getMessage(), 0x08);
			}
		}

		@Override
		public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
				SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

		@Override
		public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", 0x03);
		}

	}

}

package dev.dualsocket.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.imageio.ImageIO;

import dev.dualsocket.LinkState;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.test.KernelFaults;

/**
 * Scenario 5: a recovery timeline an operator can read at a glance. Steady load both ways over one link while a few
 * sockets are killed; every request is plotted at the time it was sent against how long it took, with the kills, the
 * socket failures and re-connections and each side's link state drawn in. The top panel shows the whole run, the
 * panels below zoom in on each kill.
 */
public final class TimelineScenario {

	public static final String FILE_NAME = "recovery-timeline.png";

	private static final Color TO_SERVER = new Color(30, 90, 200, 110);

	private static final Color TO_CLIENT = new Color(0, 150, 120, 110);

	private static final Color KILL = new Color(200, 30, 30);

	private static final Color CONNECT = new Color(40, 60, 200);

	private TimelineScenario() {
	}

	/** What one caller saw: send times and latencies. */
	private static final class Samples {

		final long[] sent = new long[4_000_000];

		final long[] took = new long[4_000_000];

		int count;

		void add(long sentAt, long latency) {
			if (this.count < this.sent.length) {
				this.sent[this.count] = sentAt;
				this.took[this.count] = latency;
				this.count++;
			}
		}

	}

	public static void run(Profile profile, Path png, PrintStream progress) throws Exception {
		EventTape tape = new EventTape();
		Samples toServer = new Samples();
		Samples toClient = new Samples();
		List<RecoveryScenario.Kill> kinds = List.of(RecoveryScenario.Kill.CLIENT_OUTBOUND_AT_CLIENT,
				RecoveryScenario.Kill.CLIENT_INBOUND_AT_SERVER, RecoveryScenario.Kill.CLIENT_INBOUND_AT_CLIENT,
				RecoveryScenario.Kill.CLIENT_OUTBOUND_AT_SERVER);
		List<RecoveryScenario.Kill> killed = new ArrayList<>();
		List<RecoveryScenario.Outcome> outcomes = new ArrayList<>();
		String unavailable = KernelFaults.available() ? null : KernelFaults.unavailableReason();
		long start;
		long end;
		try (DualSocketBed bed = new DualSocketBed(LinkSettings.builder().build(), tape)) {
			running = true;
			Thread a = caller(bed.clientLink, toServer, "bench-timeline-to-server");
			Thread b = caller(bed.serverLink, toClient, "bench-timeline-to-client");
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // warm-up, not plotted
			start = System.nanoTime();
			long length = profile.timeline().toNanos();
			int kills = (unavailable == null) ? profile.timelineKills() : 0;
			for (int k = 0; k < kills; k++) {
				long at = start + length * (k + 1) / (kills + 1);
				LockSupport.parkNanos(at - System.nanoTime());
				RecoveryScenario.Kill kind = kinds.get(k % kinds.size());
				RecoveryScenario.Outcome outcome = RecoveryScenario.killAndAwait(bed, tape, kind);
				if (outcome != null) {
					killed.add(kind);
					outcomes.add(outcome);
					progress.printf("  kill %d, %s: NORMAL again after %s%n", k + 1, kind.label(),
							Report.duration(outcome.nanos()));
				}
			}
			LockSupport.parkNanos(start + length - System.nanoTime());
			end = System.nanoTime();
			running = false;
			a.join(10_000);
			b.join(10_000);
		}
		if (unavailable != null) {
			progress.println("  no kills (" + unavailable + "); the plot shows steady load only");
		}
		try {
			BufferedImage image = draw(tape.since(0), toServer, toClient, killed, outcomes, start, end);
			ImageIO.write(image, "png", png.toFile());
			progress.println("  drawn: " + png);
		}
		catch (Exception | Error ex) {
			progress.println("  plot not drawn: " + ex);
		}
	}

	private static volatile boolean running;

	private static Thread caller(DualSocketLink link, Samples samples, String name) {
		Thread thread = new Thread(() -> {
			byte[] payload = new byte[Profile.PAYLOAD];
			while (running) {
				long sent = System.nanoTime();
				try {
					link.request(payload).get(30, TimeUnit.SECONDS);
					samples.add(sent, System.nanoTime() - sent);
				}
				catch (Exception ex) {
					samples.add(sent, -1);
				}
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	// ------------------------------------------------------------------------------------------------------------
	// Drawing
	// ------------------------------------------------------------------------------------------------------------

	private static final int WIDTH = 1600;

	private static final int HEIGHT = 1000;

	private static final int LEFT = 90;

	private static final int RIGHT = 30;

	/** A panel: a time range drawn into a rectangle, latency on a log scale. */
	private record Panel(int x, int y, int w, int h, long from, long to, double logMin, double logMax) {

		int px(long nanos) {
			return this.x + (int) Math.round((nanos - this.from) / (double) (this.to - this.from) * this.w);
		}

		int py(long latencyNanos) {
			double v = Math.log10(Math.max(latencyNanos, 1) / 1e3);
			double f = (v - this.logMin) / (this.logMax - this.logMin);
			return this.y + this.h - (int) Math.round(Math.max(0, Math.min(1, f)) * this.h);
		}

		boolean contains(long nanos) {
			return nanos >= this.from && nanos <= this.to;
		}

	}

	static BufferedImage draw(List<EventTape.Timed> events, Samples toServer, Samples toClient,
			List<RecoveryScenario.Kill> killed, List<RecoveryScenario.Outcome> outcomes, long start, long end) {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, HEIGHT);

		long maxLatency = Math.max(max(toServer), max(toClient));
		double logMin = 1; // 10 µs
		double logMax = Math.max(3, Math.ceil(Math.log10(Math.max(maxLatency, 1) / 1e3) + 0.05));

		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
		g.drawString("dual-socket: request latency across socket kills, with each side's link state", LEFT, 32);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		g.drawString(String.format(Locale.ROOT,
				"One link on 127.0.0.1, default settings; a synchronous caller each way sends 64-byte requests back to back. "
						+ "Each dot is one request, at the time it was sent. %d kills with ss -K.",
				killed.size()), LEFT, 52);

		int plotWidth = WIDTH - LEFT - RIGHT;
		Panel whole = new Panel(LEFT, 80, plotWidth, 330, start, end, logMin, logMax);
		drawPanel(g, whole, events, toServer, toClient, false);
		axisSeconds(g, whole, start);
		for (int k = 0; k < outcomes.size(); k++) {
			RecoveryScenario.Outcome outcome = outcomes.get(k);
			int x = whole.px(outcome.killedAt());
			g.setColor(KILL);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
			g.drawString("kill " + (k + 1), x + 3, whole.y() + 14);
		}

		int count = Math.max(1, outcomes.size());
		int gap = 60;
		int zoomWidth = (plotWidth - (count - 1) * gap) / count;
		for (int k = 0; k < outcomes.size(); k++) {
			RecoveryScenario.Outcome outcome = outcomes.get(k);
			long window = Math.max(TimeUnit.MILLISECONDS.toNanos(20), outcome.nanos() * 3 / 2);
			long from = outcome.killedAt() - window / 5;
			Panel zoom = new Panel(LEFT + k * (zoomWidth + gap), 560, zoomWidth, 280, from, from + window, logMin,
					logMax);
			drawPanel(g, zoom, events, toServer, toClient, true);
			axisMillis(g, zoom, outcome.killedAt());
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
			g.drawString(String.format(Locale.ROOT, "kill %d: NORMAL again after %s", k + 1,
					Report.duration(outcome.nanos())), zoom.x(), zoom.y() - 26);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			g.drawString(killed.get(k).label(), zoom.x(), zoom.y() - 10);
		}
		legend(g, 960);
		g.dispose();
		return image;
	}

	private static long max(Samples samples) {
		long max = 0;
		for (int i = 0; i < samples.count; i++) {
			max = Math.max(max, samples.took[i]);
		}
		return max;
	}

	private static void drawPanel(Graphics2D g, Panel p, List<EventTape.Timed> events, Samples toServer,
			Samples toClient, boolean zoomed) {
		g.setColor(new Color(248, 248, 248));
		g.fillRect(p.x(), p.y(), p.w(), p.h());
		// latency grid, one line per decade
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		for (int decade = (int) p.logMin(); decade <= (int) p.logMax(); decade++) {
			long nanos = (long) (Math.pow(10, decade) * 1e3);
			int y = p.py(nanos);
			g.setColor(new Color(220, 220, 220));
			g.drawLine(p.x(), y, p.x() + p.w(), y);
			g.setColor(Color.DARK_GRAY);
			String label = Report.duration(nanos).replace(".0 ", " ").replace(".00 ", " ");
			g.drawString(label, p.x() - g.getFontMetrics().stringWidth(label) - 6, y + 4);
		}
		// link state strips under the panel: client, then server
		strip(g, p, events, DualSocketBed.CLIENT, p.y() + p.h() + 4, "client");
		strip(g, p, events, DualSocketBed.SERVER, p.y() + p.h() + 16, "server");
		// events
		Stroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 4, 3 }, 0);
		int labelRow = 0;
		for (EventTape.Timed timed : events) {
			if (!p.contains(timed.nanos())) {
				continue;
			}
			int x = p.px(timed.nanos());
			String label = null;
			if (timed.event() instanceof SocketFailedEvent failed) {
				g.setColor(KILL);
				g.setStroke(new BasicStroke(zoomed ? 1.5f : 1f));
				label = side(failed.getEndpoint()) + " " + failed.getSocket().name().toLowerCase() + " failed";
			}
			else if (timed.event() instanceof SocketConnectedEvent connected) {
				g.setColor(CONNECT);
				g.setStroke(dashed);
				label = side(connected.getEndpoint()) + " " + connected.getSocket().name().toLowerCase() + " connected";
			}
			else if (timed.event() instanceof LinkStateChangedEvent change) {
				g.setColor(stateColor(change.getTo()).darker());
				g.setStroke(dashed);
				label = side(change.getEndpoint()) + " " + change.getTo();
			}
			if (label != null) {
				g.drawLine(x, p.y(), x, p.y() + p.h());
				if (zoomed) {
					g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
					g.drawString(label, x + 2, p.y() + 12 + 12 * (labelRow++ % 8));
				}
			}
		}
		g.setStroke(new BasicStroke(1f));
		dots(g, p, toServer, TO_SERVER, zoomed ? 3 : 2);
		dots(g, p, toClient, TO_CLIENT, zoomed ? 3 : 2);
		g.setColor(Color.GRAY);
		g.drawRect(p.x(), p.y(), p.w(), p.h());
	}

	private static String side(String endpoint) {
		return endpoint.equals(DualSocketBed.CLIENT) ? "client" : "server";
	}

	private static void dots(Graphics2D g, Panel p, Samples samples, Color color, int size) {
		for (int i = 0; i < samples.count; i++) {
			long sent = samples.sent[i];
			if (!p.contains(sent)) {
				continue;
			}
			long took = samples.took[i];
			if (took < 0) {
				g.setColor(KILL);
				g.drawString("✕", p.px(sent) - 3, p.y() + 10);
				continue;
			}
			g.setColor(color);
			g.fillRect(p.px(sent) - size / 2, p.py(took) - size / 2, size, size);
		}
	}

	private static Color stateColor(LinkState state) {
		return switch (state) {
			case NORMAL -> new Color(76, 175, 80);
			case RECOVERING -> new Color(255, 152, 0);
			case CONNECTING -> new Color(66, 165, 245);
			case DISCONNECTED -> new Color(229, 57, 53);
			case CLOSED -> Color.GRAY;
			case QUIESCED -> new Color(171, 71, 188);
		};
	}

	/** One side's state over the panel's time range, as a coloured strip; short states are at least 2 px wide. */
	private static void strip(Graphics2D g, Panel p, List<EventTape.Timed> events, String endpoint, int y, String name) {
		LinkState state = LinkState.NORMAL;
		long since = p.from();
		List<long[]> spans = new ArrayList<>();
		List<LinkState> states = new ArrayList<>();
		for (EventTape.Timed timed : events) {
			if (timed.event() instanceof LinkStateChangedEvent change && change.getEndpoint().equals(endpoint)) {
				if (timed.nanos() <= p.from()) {
					state = change.getTo();
					continue;
				}
				if (timed.nanos() > p.to()) {
					break;
				}
				spans.add(new long[] { since, timed.nanos() });
				states.add(state);
				state = change.getTo();
				since = timed.nanos();
			}
		}
		spans.add(new long[] { since, p.to() });
		states.add(state);
		for (int i = 0; i < spans.size(); i++) {
			int x0 = p.px(spans.get(i)[0]);
			int x1 = Math.max(x0 + ((states.get(i) == LinkState.NORMAL) ? 0 : 2), p.px(spans.get(i)[1]));
			g.setColor(stateColor(states.get(i)));
			g.fillRect(x0, y, Math.max(1, x1 - x0), 10);
		}
		g.setColor(Color.DARK_GRAY);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
		g.drawString(name, p.x() - g.getFontMetrics().stringWidth(name) - 6, y + 9);
	}

	private static void axisSeconds(Graphics2D g, Panel p, long origin) {
		g.setColor(Color.DARK_GRAY);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		double seconds = (p.to() - p.from()) / 1e9;
		double step = (seconds > 10) ? 2 : (seconds > 4) ? 1 : 0.5;
		for (double s = 0; s <= seconds + 1e-9; s += step) {
			int x = p.px(origin + (long) (s * 1e9));
			g.drawLine(x, p.y() + p.h() + 28, x, p.y() + p.h() + 32);
			g.drawString(String.format(Locale.ROOT, "%.1f s", s), x - 12, p.y() + p.h() + 45);
		}
		g.drawString("time since start →", p.x() + p.w() - 110, p.y() + p.h() + 60);
		drawYTitle(g, p);
	}

	private static void axisMillis(Graphics2D g, Panel p, long origin) {
		g.setColor(Color.DARK_GRAY);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		double from = (p.from() - origin) / 1e6;
		double to = (p.to() - origin) / 1e6;
		double span = to - from;
		double step = (span > 100) ? 20 : (span > 40) ? 10 : 5;
		for (double ms = Math.ceil(from / step) * step; ms <= to; ms += step) {
			int x = p.px(origin + (long) (ms * 1e6));
			g.drawLine(x, p.y() + p.h() + 28, x, p.y() + p.h() + 32);
			String label = (Math.abs(ms) < 0.5) ? "kill" : String.format(Locale.ROOT, "%+.0f ms", ms);
			g.drawString(label, x - 14, p.y() + p.h() + 45);
		}
		g.drawString("time since the kill", p.x() + p.w() - 100, p.y() + p.h() + 60);
		drawYTitle(g, p);
	}

	private static void drawYTitle(Graphics2D g, Panel p) {
		if (p.x() != LEFT) {
			return;
		}
		Graphics2D rotated = (Graphics2D) g.create();
		rotated.rotate(-Math.PI / 2);
		rotated.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		rotated.drawString("request latency (log)", -(p.y() + p.h() / 2 + 55), 20);
		rotated.dispose();
	}

	private static void legend(Graphics2D g, int y) {
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		int x = LEFT;
		x = legendItem(g, x, y, TO_SERVER, "request client → server");
		x = legendItem(g, x, y, TO_CLIENT, "request server → client");
		x = legendItem(g, x, y, KILL, "socket failed (kill)");
		x = legendItem(g, x, y, CONNECT, "socket re-connected");
		x = legendItem(g, x, y, stateColor(LinkState.NORMAL), "NORMAL");
		x = legendItem(g, x, y, stateColor(LinkState.RECOVERING), "RECOVERING");
		legendItem(g, x, y, stateColor(LinkState.DISCONNECTED), "DISCONNECTED");
	}

	private static int legendItem(Graphics2D g, int x, int y, Color color, String text) {
		g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue()));
		g.fillRect(x, y - 10, 14, 10);
		g.setColor(Color.BLACK);
		g.drawString(text, x + 20, y);
		return x + 20 + g.getFontMetrics().stringWidth(text) + 28;
	}

}

package dev.dualsocket.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.link.IncomingRequest;
import dev.dualsocket.link.RequestHandler;

/**
 * A handler for integrity tests: counts how often each payload ran and answers {@code answer:<payload>}, so that
 * a caller can tell its own answer from another request's. Payloads with a gated prefix wait for their gate before
 * they answer, so a test can hold requests of one session running while another begins.
 */
public final class CountingHandler implements RequestHandler {

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> passed = new ConcurrentHashMap<>();

	/**
	 * Makes payloads that start with the prefix wait until {@link #open(String)}.
	 * @return this handler
	 */
	public CountingHandler gate(String prefix) {
		this.gates.put(prefix, new CountDownLatch(1));
		this.passed.put(prefix, new AtomicInteger());
		return this;
	}

	public void open(String prefix) {
		this.gates.get(prefix).countDown();
	}

	/** Opens every gate, so no handler thread stays blocked after a test. */
	public void openAll() {
		this.gates.values().forEach(CountDownLatch::countDown);
	}

	@Override
	public byte[] handle(IncomingRequest request) throws InterruptedException {
		String payload = new String(request.payload(), UTF_8);
		this.runs.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
		for (Map.Entry<String, CountDownLatch> gate : this.gates.entrySet()) {
			if (payload.startsWith(gate.getKey())) {
				gate.getValue().await();
				this.passed.get(gate.getKey()).incrementAndGet();
			}
		}
		return answerTo(payload).getBytes(UTF_8);
	}

	/** How often each payload ran. */
	public Map<String, AtomicInteger> runs() {
		return this.runs;
	}

	/** How many different payloads with the prefix ran. */
	public int ran(String prefix) {
		return (int) this.runs.keySet().stream().filter((payload) -> payload.startsWith(prefix)).count();
	}

	/** How many handlers of the gated prefix got through their gate. */
	public int passed(String prefix) {
		return this.passed.get(prefix).get();
	}

	public static String answerTo(String payload) {
		return "answer:" + payload;
	}

}

package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.HashedWheelTimer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The low watermark a requester sends in its heartbeats never passes a request it still awaits, however the
 * registering of requests and the reading of the watermark interleave. A watermark past an awaited request makes the
 * receiver answer that request DUPLICATE_EXPIRED instead of running it.
 */
class LowWatermarkTests {

	private final HashedWheelTimer timer = new HashedWheelTimer();

	@AfterEach
	void stopTimer() {
		this.timer.stop();
	}

	@Test
	void watermarkNeverPassesARequestThatIsStillAwaited() throws Exception {
		OutstandingRequests outstanding = new OutstandingRequests(this.timer, Duration.ofMinutes(1), "test",
				(request, outcome) -> {
				});
		AtomicLong highestReported = new AtomicLong();
		AtomicLong violations = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread reporter = new Thread(() -> {
			while (running.get()) {
				long watermark = outstanding.lowWatermark();
				highestReported.accumulateAndGet(watermark, Math::max);
			}
		});
		reporter.start();
		CountDownLatch done = new CountDownLatch(3);
		List<Thread> requesters = new ArrayList<>();
		for (int t = 0; t < 3; t++) {
			Thread requester = new Thread(() -> {
				for (int i = 0; i < 200_000; i++) {
					long id = outstanding.register(new byte[0]).id();
					// Every watermark reported so far was read before this request was answered: none may pass it.
					if (highestReported.get() > id) {
						violations.incrementAndGet();
					}
					outstanding.fail(id, new IllegalStateException("answered"));
				}
				done.countDown();
			});
			requesters.add(requester);
			requester.start();
		}
		done.await();
		running.set(false);
		reporter.join();

		assertThat(violations).hasValue(0);
		assertThat(highestReported.get()).isPositive();
	}

}

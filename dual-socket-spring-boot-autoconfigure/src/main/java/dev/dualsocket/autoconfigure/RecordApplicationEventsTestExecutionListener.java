package dev.dualsocket.autoconfigure;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.event.ApplicationEventsHolder;
import org.springframework.test.context.event.ApplicationEventsTestExecutionListener;

/**
 * Makes {@code @RecordApplicationEvents} see the events of dual-socket links. Spring records only events published on
 * the test's own thread or on a thread started from it, and links publish on the engine's event threads, which the
 * application context started long before. So, for each test method that records events, this starts one thread
 * from the test's thread and has the links' events published on it (still in order per link), then stops it.
 * Registered through {@code META-INF/spring.factories}; inert where the test records no events.
 */
public final class RecordApplicationEventsTestExecutionListener implements TestExecutionListener, Ordered {

	private static final String THREAD = RecordApplicationEventsTestExecutionListener.class.getName() + ".thread";

	@Override
	public int getOrder() {
		return ApplicationEventsTestExecutionListener.ORDER + 10;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (ApplicationEventsHolder.getApplicationEvents() == null || !testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		ApplicationEventBridge bridge = context.getBeanProvider(ApplicationEventBridge.class).getIfAvailable();
		if (bridge == null) {
			return;
		}
		ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread publisher = new Thread(task, "dual-socket-recorded-events");
					publisher.setDaemon(true);
					return publisher;
				});
		// Started here, on the test's thread, so that it inherits the test's recorded events.
		thread.prestartCoreThread();
		bridge.publishOn(thread);
		testContext.setAttribute(THREAD, thread);
	}

	@Override
	public void afterTestMethod(TestContext testContext) throws InterruptedException {
		Object thread = testContext.removeAttribute(THREAD);
		if (thread instanceof ThreadPoolExecutor executor) {
			testContext.getApplicationContext().getBean(ApplicationEventBridge.class).publishOn(null);
			executor.shutdown();
			executor.awaitTermination(2, TimeUnit.SECONDS);
		}
	}

}

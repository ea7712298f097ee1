package dev.dualsocket.bench;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.RequestTimeoutException;
import dev.dualsocket.link.DualSocketLink;

/**
 * How one synchronous request ended, as its caller sees it. Only {@link #SILENT} and {@link #FAILED_OTHERWISE} count
 * against the library by themselves: a clear failure tells the caller that the request may not have run, which after a
 * peer restart is the honest answer, while a wrong answer is never acceptable.
 */
enum RequestOutcome {

	/** Completed with the answer to its own payload. */
	ANSWERED,

	/** Completed, but with something that is not the answer to its own payload. */
	WRONG_ANSWER,

	/** Failed with one of the library's documented exceptions for a request that may not have run. */
	FAILED_CLEARLY,

	/** Failed with anything else. */
	FAILED_OTHERWISE,

	/** Neither completed nor failed within the caller's patience. */
	SILENT;

	/** The code a child JVM writes for this outcome in its {@link RunLog}. */
	byte code() {
		return (byte) ('a' + ordinal());
	}

	static RequestOutcome ofCode(byte code) {
		return values()[code - 'a'];
	}

	static boolean isCode(byte code) {
		return code >= 'a' && code < 'a' + values().length;
	}

	/**
	 * Sends the payload and waits for the outcome.
	 * @param patience how long to wait beyond the library's own request timeout before calling it silence
	 */
	static RequestOutcome call(DualSocketLink link, byte[] payload, Duration patience) {
		try {
			byte[] answer = link.request(payload).get(patience.toMillis(), TimeUnit.MILLISECONDS);
			return Payloads.isAnswerTo(answer, payload) ? ANSWERED : WRONG_ANSWER;
		}
		catch (ExecutionException ex) {
			return isClear(ex.getCause()) ? FAILED_CLEARLY : FAILED_OTHERWISE;
		}
		catch (TimeoutException ex) {
			return SILENT;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return SILENT;
		}
		catch (RuntimeException ex) {
			return isClear(ex) ? FAILED_CLEARLY : FAILED_OTHERWISE;
		}
	}

	static boolean isClear(Throwable failure) {
		return failure instanceof LinkDisconnectedException || failure instanceof RequestTimeoutException
				|| failure instanceof RemoteRequestException;
	}

}

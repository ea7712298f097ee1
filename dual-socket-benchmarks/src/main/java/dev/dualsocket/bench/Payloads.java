package dev.dualsocket.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Payloads of the recovery scenario: each request carries its own number (and says it in text), and a handler
 * answers with something derived from the request, so that a caller can tell its own answer from the answer to any
 * other request, or from its request sent back unchanged.
 */
final class Payloads {

	private Payloads() {
	}

	/** A {@link Profile#PAYLOAD}-byte request: the number, then "req-NUMBER" padded with dots. */
	static byte[] numbered(long number) {
		byte[] payload = new byte[Profile.PAYLOAD];
		WireFrames.putLong(payload, 0, number);
		byte[] text = ("req-" + number).getBytes(StandardCharsets.US_ASCII);
		Arrays.fill(payload, 8, payload.length, (byte) '.');
		System.arraycopy(text, 0, payload, 8, Math.min(text.length, payload.length - 8));
		return payload;
	}

	static long number(byte[] request) {
		return WireFrames.getLong(request, 0);
	}

	/**
	 * The handler's answer: every byte of the request complemented. It differs from the request itself and from the
	 * answer to any other number.
	 */
	static byte[] answer(byte[] request) {
		byte[] answer = new byte[request.length];
		for (int i = 0; i < request.length; i++) {
			answer[i] = (byte) ~request[i];
		}
		return answer;
	}

	static boolean isAnswerTo(byte[] answer, byte[] request) {
		if (answer == null || answer.length != request.length) {
			return false;
		}
		for (int i = 0; i < request.length; i++) {
			if (answer[i] != (byte) ~request[i]) {
				return false;
			}
		}
		return true;
	}

}

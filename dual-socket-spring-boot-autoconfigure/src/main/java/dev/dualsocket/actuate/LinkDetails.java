package dev.dualsocket.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.link.ConnectAttempts;
import dev.dualsocket.link.LinkSnapshot;
import dev.dualsocket.link.SocketSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Describes a link for operators, the same way in health details and in the {@code dualsocket} actuator endpoint:
 * state and since when, why, the peer, each socket's state, re-connects and failures, the last failure and when,
 * heartbeat round trip, requests in flight, the last diagnosis of a failure (its verdict, when, and each step), and a
 * client's attempts to establish the link (how many, the last error, when the next is due).
 */
public final class LinkDetails {

	private LinkDetails() {
	}

	/**
	 * The details of a link.
	 * @param link a snapshot of the link
	 * @return the details, in a stable order
	 */
	public static Map<String, Object> of(LinkSnapshot link) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("linkId", link.linkId());
		details.put("state", link.state().name());
		details.put("since", link.since().toString());
		details.put("cause", link.cause());
		putIfPresent(details, "peer", peerOf(link));
		details.put("outbound", socket(link.outbound()));
		details.put("inbound", socket(link.inbound()));
		details.put("requestsInFlight", link.requestsInFlight());
		details.put("quiesced", link.quiesced());
		details.put("peerQuiesced", link.peerQuiesced());
		details.put("heldRequests", link.heldRequests());
		FailureDiagnosis diagnosis = link.diagnosis();
		if (diagnosis != null) {
			details.put("diagnosis", diagnosis(diagnosis));
		}
		ConnectAttempts connectAttempts = link.connectAttempts();
		if (connectAttempts != null) {
			details.put("connectAttempts", connectAttempts(connectAttempts));
		}
		return details;
	}

	/** A client's attempts to establish its link: how many so far, the last error and when, when the next is due. */
	private static Map<String, Object> connectAttempts(ConnectAttempts attempts) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("attempts", attempts.attempts());
		putIfPresent(details, "lastError", attempts.lastError());
		putIfPresent(details, "lastErrorAt", text(attempts.lastErrorAt()));
		putIfPresent(details, "nextAttemptAt", text(attempts.nextAttemptAt()));
		return details;
	}

	/** The last diagnosis of a socket failure (seed 003): the verdict, when, for which failure, and each step. */
	private static Map<String, Object> diagnosis(FailureDiagnosis diagnosis) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("verdict", diagnosis.verdict().name());
		details.put("at", diagnosis.finishedAt().toString());
		details.put("socket", diagnosis.socket().label());
		details.put("failure", diagnosis.failure().toString());
		details.put("steps", diagnosis.steps().stream().map(LinkDetails::step).toList());
		return details;
	}

	private static Map<String, Object> step(FailureDiagnosis.Step step) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("step", step.step().name());
		details.put("outcome", step.outcome().name());
		details.put("detail", step.detail());
		details.put("millis", step.duration().toMillis());
		return details;
	}

	private static @Nullable String peerOf(LinkSnapshot link) {
		String outbound = link.outbound().remoteAddress();
		return (outbound != null) ? outbound : link.inbound().remoteAddress();
	}

	private static Map<String, Object> socket(SocketSnapshot socket) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("up", socket.up());
		putIfPresent(details, "localAddress", socket.localAddress());
		putIfPresent(details, "remoteAddress", socket.remoteAddress());
		putIfPresent(details, "connectedSince", text(socket.connectedSince()));
		details.put("reconnects", Math.max(0, socket.connects() - 1));
		details.put("failures", socket.failures());
		putIfPresent(details, "lastFailure", (socket.lastFailure() != null) ? socket.lastFailure().toString() : null);
		putIfPresent(details, "lastFailureAt", text(socket.lastFailureAt()));
		Duration roundTrip = socket.heartbeatRoundTrip();
		if (roundTrip != null) {
			details.put("heartbeatRoundTripMicros", roundTrip.toNanos() / 1000);
		}
		return details;
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static void putIfPresent(Map<String, Object> details, String key, @Nullable Object value) {
		if (value != null) {
			details.put(key, value);
		}
	}

}

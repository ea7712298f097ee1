package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.dualsocket.DiagnosisStep;
import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.event.DiagnosisStepEvent;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkDiagnosedEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.DualSocketLink;

/**
 * What the diagnosis tests check again and again: the verdict in its event, in each step's event, in the link's
 * snapshot, in the state changes that follow it, and that the recovery procedure did not wait for it.
 */
public final class DiagnosisAssertions {

	/** The longest a diagnosis of the tests takes: the probe and three steps, with room for a slow machine. */
	private static final Duration BOUND = Duration.ofSeconds(15);

	private DiagnosisAssertions() {
	}

	/**
	 * Waits for an endpoint's first diagnosis and checks that it is the whole story: one step event per step, in
	 * order, the same steps in the diagnosis, and the diagnosis in the link's snapshot.
	 * @return the diagnosis
	 */
	public static FailureDiagnosis awaitDiagnosis(RecordingEvents events, String endpoint, DualSocketLink link) {
		await().atMost(BOUND).until(() -> !events.ofType(LinkDiagnosedEvent.class, endpoint).isEmpty());
		FailureDiagnosis diagnosis = events.ofType(LinkDiagnosedEvent.class, endpoint).get(0).getDiagnosis();
		assertThat(diagnosis.steps()).extracting(FailureDiagnosis.Step::step).containsExactly(DiagnosisStep.values());
		assertThat(events.ofType(DiagnosisStepEvent.class, endpoint)).extracting(DiagnosisStepEvent::getStep)
			.startsWith(diagnosis.steps().toArray(FailureDiagnosis.Step[]::new));
		assertThat(link.snapshot().diagnosis()).isEqualTo(diagnosis);
		return diagnosis;
	}

	/**
	 * The outcome of one step of a diagnosis.
	 */
	public static DiagnosisStep.Outcome outcomeOf(FailureDiagnosis diagnosis, DiagnosisStep step) {
		return diagnosis.step(step).orElseThrow().outcome();
	}

	/**
	 * The state changes of an endpoint's link carry no verdict from the failure until the verdict is published, and
	 * the verdict from then on up to and including the next move to {@code NORMAL}.
	 */
	public static void assertStateChangesCarry(RecordingEvents events, String endpoint, FailureVerdict verdict) {
		List<DualSocketEvent> all = events.all().stream().filter((event) -> event.getEndpoint().equals(endpoint)).toList();
		int failed = indexOf(all, SocketFailedEvent.class);
		int diagnosed = indexOf(all, LinkDiagnosedEvent.class);
		assertThat(failed).as("a socket failure").isNotNegative().isLessThan(diagnosed);
		for (int i = failed; i < all.size(); i++) {
			if (all.get(i) instanceof LinkStateChangedEvent change) {
				if (i < diagnosed) {
					assertThat(change.getDiagnosis()).as("%s, before the verdict", change).isNull();
				}
				else {
					assertThat(change.getDiagnosis()).as("%s, after the verdict", change).isEqualTo(verdict);
					if (change.getTo() == LinkState.NORMAL) {
						return;
					}
				}
			}
		}
	}

	/**
	 * Waits until a state change after the verdict carries it (the link moves on, or moves again).
	 */
	public static void awaitStateChangeCarrying(RecordingEvents events, String endpoint, FailureVerdict verdict) {
		await().atMost(BOUND)
			.until(() -> events.stateChanges(endpoint).stream().anyMatch((change) -> change.getDiagnosis() == verdict));
	}

	/**
	 * The link left {@code RECOVERING} within the given time of the first socket failure, whatever the diagnosis was
	 * doing meanwhile.
	 */
	public static void assertRecoveryEndedWithin(RecordingEvents events, String endpoint, Duration bound) {
		await().atMost(BOUND).until(() -> events.stateChanges(endpoint).stream()
			.anyMatch((change) -> change.getFrom() == LinkState.RECOVERING));
		SocketFailedEvent failure = events.ofType(SocketFailedEvent.class, endpoint).get(0);
		LinkStateChangedEvent ended = events.stateChanges(endpoint).stream()
			.filter((change) -> change.getFrom() == LinkState.RECOVERING)
			.findFirst()
			.orElseThrow();
		assertThat(Duration.between(failure.getTime(), ended.getTime())).as("from the failure to %s", ended)
			.isLessThanOrEqualTo(bound);
	}

	private static int indexOf(List<DualSocketEvent> events, Class<?> type) {
		for (int i = 0; i < events.size(); i++) {
			if (type.isInstance(events.get(i))) {
				return i;
			}
		}
		return -1;
	}

}

package dev.dualsocket.link;

import static dev.dualsocket.DiagnosisStep.ALTERNATE_CONNECT;
import static dev.dualsocket.DiagnosisStep.LOCAL_INTERFACE;
import static dev.dualsocket.DiagnosisStep.OTHER_SOCKET_PROBE;
import static dev.dualsocket.DiagnosisStep.PEER_CONNECT;
import static dev.dualsocket.DiagnosisStep.Outcome.ANSWERED;
import static dev.dualsocket.DiagnosisStep.Outcome.CONNECTED;
import static dev.dualsocket.DiagnosisStep.Outcome.DOWN;
import static dev.dualsocket.DiagnosisStep.Outcome.ERROR;
import static dev.dualsocket.DiagnosisStep.Outcome.NOT_ANSWERED;
import static dev.dualsocket.DiagnosisStep.Outcome.NOT_POSSIBLE;
import static dev.dualsocket.DiagnosisStep.Outcome.REFUSED;
import static dev.dualsocket.DiagnosisStep.Outcome.SKIPPED;
import static dev.dualsocket.DiagnosisStep.Outcome.TIMED_OUT;
import static dev.dualsocket.DiagnosisStep.Outcome.UNREACHABLE;
import static dev.dualsocket.DiagnosisStep.Outcome.UP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.dualsocket.DiagnosisStep;
import dev.dualsocket.FailureCause;
import dev.dualsocket.FailureDiagnosis;
import dev.dualsocket.FailureVerdict;
import dev.dualsocket.SocketFailure;
import org.junit.jupiter.api.Test;

/**
 * The precedence of the verdicts, as {@link FailureVerdict} documents it, over the steps' outcomes alone. The tests
 * with real faults are {@link DiagnosisTests} and {@link NetworkDiagnosisTests}.
 */
class DiagnosisVerdictTests {

	private static final SocketFailure RESET = new SocketFailure(FailureCause.IO_ERROR, "Connection reset");

	private static final SocketFailure SILENT = new SocketFailure(FailureCause.HEARTBEAT_TIMEOUT, "no answer");

	@Test
	void aDownInterfaceWinsOverEverything() {
		assertThat(verdict(RESET, ANSWERED, REFUSED, DOWN, SKIPPED)).isEqualTo(FailureVerdict.LOCAL_INTERFACE_DOWN);
		assertThat(verdict(new SocketFailure(FailureCause.INTERFACE_DOWN, "network interface veth0 is down"),
				NOT_POSSIBLE, CONNECTED, UP, SKIPPED))
			.isEqualTo(FailureVerdict.LOCAL_INTERFACE_DOWN);
	}

	@Test
	void anAnsweredProbeMeansOnlyTheSocketFailed() {
		assertThat(verdict(RESET, ANSWERED, SKIPPED, UP, SKIPPED)).isEqualTo(FailureVerdict.SOCKET_ONLY);
	}

	@Test
	void aRefusedConnectMeansTheProcessIsDown() {
		assertThat(verdict(RESET, NOT_POSSIBLE, REFUSED, UP, SKIPPED)).isEqualTo(FailureVerdict.PEER_PROCESS_DOWN);
		assertThat(verdict(SILENT, NOT_ANSWERED, REFUSED, UP, SKIPPED)).isEqualTo(FailureVerdict.PEER_PROCESS_DOWN);
	}

	@Test
	void anAcceptedConnectWithUnansweredHeartbeatsMeansTheProcessIsStuck() {
		assertThat(verdict(RESET, NOT_ANSWERED, CONNECTED, UP, SKIPPED)).isEqualTo(FailureVerdict.PEER_PROCESS_STUCK);
		assertThat(verdict(SILENT, NOT_POSSIBLE, CONNECTED, UP, SKIPPED)).isEqualTo(FailureVerdict.PEER_PROCESS_STUCK);
	}

	@Test
	void anAcceptedConnectAfterTheConnectionsWereClosedIsInconclusive() {
		assertThat(verdict(RESET, NOT_POSSIBLE, CONNECTED, UP, SKIPPED)).isEqualTo(FailureVerdict.INCONCLUSIVE);
	}

	@Test
	void noAnswerFromThePeersAddressIsThePathWhenTheAlternateAnswers() {
		assertThat(verdict(SILENT, NOT_ANSWERED, TIMED_OUT, UP, CONNECTED))
			.isEqualTo(FailureVerdict.PATH_DOWN_ALTERNATE_OK);
		assertThat(verdict(SILENT, NOT_POSSIBLE, UNREACHABLE, UP, CONNECTED))
			.isEqualTo(FailureVerdict.PATH_DOWN_ALTERNATE_OK);
	}

	@Test
	void noAnswerFromThePeersAddressIsTheHostWithoutAnAlternateThatAnswers() {
		assertThat(verdict(SILENT, NOT_ANSWERED, TIMED_OUT, UP, SKIPPED)).isEqualTo(FailureVerdict.PEER_HOST_UNREACHABLE);
		assertThat(verdict(SILENT, NOT_ANSWERED, TIMED_OUT, UP, TIMED_OUT))
			.isEqualTo(FailureVerdict.PEER_HOST_UNREACHABLE);
		assertThat(verdict(SILENT, NOT_ANSWERED, UNREACHABLE, UP, REFUSED))
			.isEqualTo(FailureVerdict.PEER_HOST_UNREACHABLE);
	}

	@Test
	void aServerWhoseOtherSocketDoesNotAnswerCannotTell() {
		assertThat(verdict(SILENT, NOT_ANSWERED, SKIPPED, UP, SKIPPED)).isEqualTo(FailureVerdict.INCONCLUSIVE);
		assertThat(verdict(RESET, NOT_POSSIBLE, ERROR, UP, SKIPPED)).isEqualTo(FailureVerdict.INCONCLUSIVE);
	}

	@Test
	void aDiagnosisStoppedEarlyDecidesOnTheStepsItRan() {
		assertThat(DiagnosisLadder.verdictOf(RESET, List.of(step(OTHER_SOCKET_PROBE, ANSWERED))))
			.isEqualTo(FailureVerdict.SOCKET_ONLY);
		assertThat(DiagnosisLadder.verdictOf(RESET, List.of())).isEqualTo(FailureVerdict.INCONCLUSIVE);
	}

	private static FailureVerdict verdict(SocketFailure failure, DiagnosisStep.Outcome probe,
			DiagnosisStep.Outcome peer, DiagnosisStep.Outcome local, DiagnosisStep.Outcome alternate) {
		return DiagnosisLadder.verdictOf(failure, List.of(step(OTHER_SOCKET_PROBE, probe), step(PEER_CONNECT, peer),
				step(LOCAL_INTERFACE, local), step(ALTERNATE_CONNECT, alternate)));
	}

	private static FailureDiagnosis.Step step(DiagnosisStep step, DiagnosisStep.Outcome outcome) {
		return new FailureDiagnosis.Step(step, outcome, "", Duration.ZERO);
	}

}

package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.transport.Frame;
import org.junit.jupiter.api.Test;

/**
 * The served-request record of one session: a request id is admitted to run once; after that a copy is left to
 * finish, answered again, or (once its answer is forgotten) answered expired, never admitted again.
 */
class ServedRequestsTests {

	private final java.util.Map<Long, Frame> answers = new java.util.HashMap<>();

	/** The one answer frame of a request id: the record must hand back the very frame it kept. */
	private Frame answer(long id) {
		return this.answers.computeIfAbsent(id, (key) -> Frame.response(key, new byte[] { key.byteValue() }));
	}

	@Test
	void requestIsAdmittedOnceThenLeftToFinishThenAnsweredAgain() {
		ServedRequests served = new ServedRequests(10);
		assertThat(served.admit(1)).isNull();
		assertThat(served.admit(1)).isSameAs(ServedRequests.RUNNING);
		served.complete(1, answer(1));
		assertThat(served.admit(1)).isSameAs(answer(1));
	}

	@Test
	void copyBelowTheWatermarkIsExpiredNotAdmitted() {
		ServedRequests served = new ServedRequests(10);
		served.admit(1);
		served.complete(1, answer(1));
		served.admit(2);
		served.forgetBelow(3);
		assertThat(served.admit(1)).isSameAs(ServedRequests.EXPIRED);
		// Still running below the watermark: kept, and a copy is left to finish.
		assertThat(served.admit(2)).isSameAs(ServedRequests.RUNNING);
		served.complete(2, answer(2));
		assertThat(served.admit(2)).isSameAs(answer(2));
		assertThat(served.admit(3)).isNull();
	}

	@Test
	void answerDroppedForRoomRaisesTheFloorPastIt() {
		ServedRequests served = new ServedRequests(2);
		for (long id = 1; id <= 4; id++) {
			served.admit(id);
			served.complete(id, answer(id));
		}
		assertThat(served.size()).isEqualTo(2);
		assertThat(served.admit(1)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(2)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(3)).isSameAs(answer(3));
		assertThat(served.admit(5)).isNull();
	}

	@Test
	void runningRequestsAreNeverDroppedForRoom() {
		ServedRequests served = new ServedRequests(1);
		served.admit(1);
		served.admit(2);
		served.complete(2, answer(2));
		served.admit(3);
		served.complete(3, answer(3));
		assertThat(served.admit(1)).isSameAs(ServedRequests.RUNNING);
		assertThat(served.admit(2)).isSameAs(ServedRequests.EXPIRED);
	}

	@Test
	void watermarkNeverLowersTheFloor() {
		ServedRequests served = new ServedRequests(10);
		served.admit(5);
		served.complete(5, answer(5));
		served.forgetBelow(6);
		served.forgetBelow(2);
		assertThat(served.admit(5)).isSameAs(ServedRequests.EXPIRED);
	}

}

package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualsocket.transport.Frame;
import org.junit.jupiter.api.Test;

/**
 * The served-request record of one session: a request id is admitted to run once; after that a copy is left to
 * finish, answered again, or (once its answer is forgotten) answered expired, never admitted again.
 */
class ServedRequestsTests {

	/** A byte bound no test reaches, for the tests of everything else. */
	private static final long UNBOUNDED = Long.MAX_VALUE;

	private final java.util.Map<Long, Frame> answers = new java.util.HashMap<>();

	/** The one answer frame of a request id: the record must hand back the very frame it kept. */
	private Frame answer(long id) {
		return this.answers.computeIfAbsent(id, (key) -> Frame.response(key, new byte[] { key.byteValue() }));
	}

	@Test
	void requestIsAdmittedOnceThenLeftToFinishThenAnsweredAgain() {
		ServedRequests served = new ServedRequests(10, UNBOUNDED);
		assertThat(served.admit(1)).isNull();
		assertThat(served.admit(1)).isSameAs(ServedRequests.RUNNING);
		served.complete(1, answer(1));
		assertThat(served.admit(1)).isSameAs(answer(1));
	}

	@Test
	void copyBelowTheWatermarkIsExpiredNotAdmitted() {
		ServedRequests served = new ServedRequests(10, UNBOUNDED);
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
		ServedRequests served = new ServedRequests(2, UNBOUNDED);
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
		ServedRequests served = new ServedRequests(1, UNBOUNDED);
		served.admit(1);
		served.admit(2);
		served.complete(2, answer(2));
		served.admit(3);
		served.complete(3, answer(3));
		assertThat(served.admit(1)).isSameAs(ServedRequests.RUNNING);
		assertThat(served.admit(2)).isSameAs(ServedRequests.EXPIRED);
	}

	@Test
	void aRequestRunningLongWhileThousandsPassStaysRecordedAndTheOthersStayWithinTheBound() {
		ServedRequests served = new ServedRequests(100, UNBOUNDED);
		served.admit(1);
		for (long id = 2; id <= 5000; id++) {
			assertThat(served.admit(id)).isNull();
			served.complete(id, answer(id));
			if (id % 50 == 0) {
				served.forgetBelow(id - 10);
			}
		}
		assertThat(served.size()).isLessThanOrEqualTo(101);
		assertThat(served.admit(1)).isSameAs(ServedRequests.RUNNING);
		assertThat(served.admit(4999)).isSameAs(answer(4999));
		served.complete(1, answer(1));
		assertThat(served.admit(1)).isSameAs(answer(1));
		served.forgetBelow(5001);
		assertThat(served.size()).isZero();
		assertThat(served.admit(1)).isSameAs(ServedRequests.EXPIRED);
	}

	@Test
	void anAbandonedRequestRunsWhenSentAgainAndIsRecordedOnce() {
		ServedRequests served = new ServedRequests(2, UNBOUNDED);
		served.admit(1);
		served.abandon(1);
		assertThat(served.admit(1)).isNull();
		served.complete(1, answer(1));
		served.admit(2);
		served.complete(2, answer(2));
		served.admit(3);
		served.complete(3, answer(3));
		assertThat(served.size()).isEqualTo(2);
		assertThat(served.admit(1)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(3)).isSameAs(answer(3));
	}

	@Test
	void watermarkNeverLowersTheFloor() {
		ServedRequests served = new ServedRequests(10, UNBOUNDED);
		served.admit(5);
		served.complete(5, answer(5));
		served.forgetBelow(6);
		served.forgetBelow(2);
		assertThat(served.admit(5)).isSameAs(ServedRequests.EXPIRED);
	}

	@Test
	void answerDroppedToStayWithinTheBytesRaisesTheFloorPastIt() {
		ServedRequests served = new ServedRequests(100, 10);
		Frame[] answers = new Frame[5];
		for (int id = 1; id <= 4; id++) {
			answers[id] = Frame.response(id, new byte[4]);
			served.admit(id);
			served.complete(id, answers[id]);
		}
		// Four of 4 bytes do not fit in 10: the oldest two went, though the count had room for all.
		assertThat(served.size()).isEqualTo(2);
		assertThat(served.bytes()).isEqualTo(8);
		assertThat(served.admit(1)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(2)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(3)).isSameAs(answers[3]);
		assertThat(served.admit(4)).isSameAs(answers[4]);
		assertThat(served.admit(5)).isNull();
	}

	@Test
	void responseLargerThanTheBytesIsNotKeptAndItsCopyIsNeverRunAgain() {
		ServedRequests served = new ServedRequests(100, 10);
		Frame small = Frame.response(1, new byte[4]);
		served.admit(1);
		served.complete(1, small);
		served.admit(2);
		served.complete(2, Frame.response(2, new byte[11]));

		assertThat(served.bytes()).isZero();
		assertThat(served.admit(1)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(2)).isSameAs(ServedRequests.EXPIRED);
		assertThat(served.admit(3)).isNull();
	}

	@Test
	void runningRequestsAreNeverDroppedForBytes() {
		ServedRequests served = new ServedRequests(100, 4);
		served.admit(1);
		served.admit(2);
		served.complete(2, Frame.response(2, new byte[4]));
		served.admit(3);
		served.complete(3, Frame.response(3, new byte[4]));

		assertThat(served.admit(1)).isSameAs(ServedRequests.RUNNING);
		assertThat(served.admit(2)).isSameAs(ServedRequests.EXPIRED);
	}

	@Test
	void answersForgottenBelowTheWatermarkGiveTheirBytesBack() {
		ServedRequests served = new ServedRequests(100, 8);
		for (int id = 1; id <= 2; id++) {
			served.admit(id);
			served.complete(id, Frame.response(id, new byte[4]));
		}
		served.forgetBelow(3);
		assertThat(served.bytes()).isZero();

		Frame third = Frame.response(3, new byte[4]);
		Frame fourth = Frame.response(4, new byte[4]);
		served.admit(3);
		served.complete(3, third);
		served.admit(4);
		served.complete(4, fourth);
		assertThat(served.admit(3)).isSameAs(third);
		assertThat(served.admit(4)).isSameAs(fourth);
	}

}

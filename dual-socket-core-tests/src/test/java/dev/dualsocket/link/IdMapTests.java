package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The map of request ids behaves as a map, whatever the spread of the ids: consecutive ones in the ring, one that lags
 * far behind in the overflow.
 */
class IdMapTests {

	@Test
	void aRequestKeptWhileManyLaterOnesComeAndGoIsStillFoundAndTheOthersStayFound() {
		IdMap<String> map = new IdMap<>();
		map.put(1, "slow");
		for (long id = 2; id <= 100_000; id++) {
			assertThat(map.put(id, "r" + id)).isNull();
			if (id > 50) {
				assertThat(map.remove(id - 48)).isEqualTo("r" + (id - 48));
			}
		}
		assertThat(map.get(1)).isEqualTo("slow");
		assertThat(map.get(99_999)).isEqualTo("r99999");
		assertThat(map.size()).isEqualTo(1 + 48 + 1);
		assertThat(map.values()).hasSize(map.size()).contains("slow", "r100000");
		assertThat(map.remove(1)).isEqualTo("slow");
		assertThat(map.get(1)).isNull();
	}

	@Test
	void itAgreesWithAHashMapUnderRandomOperationsOnIdsSpreadFarApart() {
		IdMap<Long> map = new IdMap<>();
		Map<Long, Long> expected = new HashMap<>();
		Random random = new Random(42);
		for (int i = 0; i < 200_000; i++) {
			long id = (random.nextInt(4) == 0) ? random.nextInt(1 << 20) : 1_000 + (i / 3) + random.nextInt(64);
			switch (random.nextInt(3)) {
				case 0 -> assertThat(map.put(id, (long) i)).isEqualTo(expected.put(id, (long) i));
				case 1 -> assertThat(map.remove(id)).isEqualTo(expected.remove(id));
				default -> assertThat(map.get(id)).isEqualTo(expected.get(id));
			}
			assertThat(map.size()).isEqualTo(expected.size());
		}
		assertThat(map.values()).containsExactlyInAnyOrderElementsOf(expected.values());
		map.clear();
		assertThat(map.size()).isZero();
		assertThat(map.values()).isEmpty();
	}

}

package dev.dualsocket.link;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Settings that would make this side break the protocol are refused when they are built, in plain Java too.
 */
class LinkSettingsTests {

	@Test
	void heartbeatIntervalBelowFiftyMillisecondsIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LinkSettings.builder().heartbeat(Duration.ofMillis(10), Duration.ofSeconds(1)).build())
			.withMessageContaining("heartbeat interval must be at least 50 ms");
	}

}

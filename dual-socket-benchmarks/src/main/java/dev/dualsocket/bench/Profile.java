package dev.dualsocket.bench;

import java.time.Duration;

/**
 * How long and how often each scenario runs: the full run (under 10 minutes) or the quick smoke check (under one).
 *
 * @param name "full" or "quick"
 * @param latencyWarmup warm-up of each round-trip set-up
 * @param latencyRound one measured round of a round-trip set-up
 * @param latencyRounds measured rounds of the round-trip scenario
 * @param pinnedRound one measured round in the pinned child JVM
 * @param pinnedRounds measured rounds in the pinned child JVM
 * @param throughputWarmup warm-up of each throughput set-up
 * @param throughputRound one measured round of a throughput set-up
 * @param throughputRounds measured rounds of the throughput scenario
 * @param kills sockets killed in the recovery scenario
 * @param pauseBetweenKills steady load between one recovery and the next kill
 * @param blackHoles black-holed sockets
 * @param blackHoleInterval heartbeat interval in the black-hole trials
 * @param blackHoleTimeout heartbeat timeout in the black-hole trials
 * @param scaleSmall the smaller number of links
 * @param scaleLarge the larger number of links
 * @param scaleHuge the largest number of links, on one server endpoint, the clients spread over several JVMs
 * @param scaleLinksPerClientJvm at most this many client endpoints in one client JVM of the scale scenario
 * @param scaleWarmup load before the measured window of the scale scenario
 * @param scaleMeasure the measured window of the scale scenario
 * @param scaleEstablish how long the scale scenario waits for its links to come up; it measures those that did
 * @param timeline length of the recovery timeline
 * @param timelineKills kills in the recovery timeline
 * @param restarts times the peer JVM is killed and started again, for each of the two sides
 * @param pauseBetweenRestarts steady load between the link's return to NORMAL and the next kill of the peer
 * @param stormLinks client links of the recovery storm
 * @param stormKills times every socket of the recovery storm is killed at once
 */
public record Profile(String name, Duration latencyWarmup, Duration latencyRound, int latencyRounds,
		Duration pinnedRound, int pinnedRounds, Duration throughputWarmup, Duration throughputRound,
		int throughputRounds, int kills, Duration pauseBetweenKills, int blackHoles, Duration blackHoleInterval,
		Duration blackHoleTimeout, int scaleSmall, int scaleLarge, int scaleHuge,
		int scaleLinksPerClientJvm, Duration scaleWarmup, Duration scaleMeasure,
		Duration scaleEstablish,
		Duration timeline, int timelineKills, int restarts, Duration pauseBetweenRestarts, int stormLinks,
		int stormKills) {

	public static final int PAYLOAD = 64;

	public static Profile full() {
		return new Profile("full", Duration.ofMillis(2000), Duration.ofMillis(2000), 5, Duration.ofMillis(1000), 5,
				Duration.ofMillis(1500), Duration.ofMillis(1500), 5, 200, Duration.ofMillis(100), 6,
				Duration.ofMillis(200), Duration.ofMillis(1000), 100, 1000, 10_000, 2_500, Duration.ofSeconds(5),
				Duration.ofSeconds(15), Duration.ofSeconds(75), Duration.ofMillis(8000), 4, 10, Duration.ofMillis(1000), 1000, 3);
	}

	public static Profile quick() {
		return new Profile("quick", Duration.ofMillis(300), Duration.ofMillis(300), 2, Duration.ofMillis(200), 2,
				Duration.ofMillis(200), Duration.ofMillis(200), 2, 12, Duration.ofMillis(30), 2,
				Duration.ofMillis(100), Duration.ofMillis(500), 100, 1000, 10_000, 2_500, Duration.ofMillis(500),
				Duration.ofMillis(1500), Duration.ofSeconds(45), Duration.ofMillis(2500), 2, 2, Duration.ofMillis(500), 200, 1);
	}

	/**
	 * The numbers of links the scale scenario measures, smallest first; {@code -Dbench.scale-links=1000,10000} picks
	 * some (the targets need the smallest, as their reference).
	 */
	public int[] scaleLinks() {
		String only = System.getProperty("bench.scale-links");
		if (only != null && !only.isBlank()) {
			return java.util.Arrays.stream(only.split(",")).mapToInt((n) -> Integer.parseInt(n.trim())).sorted().toArray();
		}
		return new int[] { this.scaleSmall, this.scaleLarge, this.scaleHuge };
	}

	/**
	 * @param links links of one run of the scale scenario
	 * @return the client JVMs that hold them, each at most {@link #scaleLinksPerClientJvm()}
	 */
	public int scaleClientJvms(int links) {
		return Math.max(1, (links + this.scaleLinksPerClientJvm - 1) / this.scaleLinksPerClientJvm);
	}

	public boolean isQuick() {
		return "quick".equals(this.name);
	}

}

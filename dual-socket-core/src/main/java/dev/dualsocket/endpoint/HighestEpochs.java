package dev.dualsocket.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest fencing epoch a server accepted per link id (section 4.6 of the protocol), for the links it holds and
 * the most recently used others, within a bound: a client that opens link after link with made-up ids cannot grow it.
 * Guarded by the caller (the server endpoint's lock on its links).
 */
final class HighestEpochs {

	private final int capacity;

	private final LinkedHashMap<String, Long> epochs;

	/**
	 * @param capacity the most link ids remembered; the least recently used goes first
	 */
	HighestEpochs(int capacity) {
		this.capacity = capacity;
		this.epochs = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
				return size() > HighestEpochs.this.capacity;
			}
		};
	}

	/**
	 * The highest epoch accepted for a link id.
	 * @param linkId the link id
	 * @return the epoch, 0 if none is remembered
	 */
	long highest(String linkId) {
		Long epoch = this.epochs.get(linkId);
		return (epoch != null) ? epoch : 0;
	}

	/**
	 * Records the epoch of a HELLO that was accepted.
	 * @param linkId the link id
	 * @param epoch its epoch, 0 for none
	 */
	void accepted(String linkId, long epoch) {
		if (epoch > 0 || this.epochs.containsKey(linkId)) {
			this.epochs.merge(linkId, epoch, Math::max);
		}
	}

}

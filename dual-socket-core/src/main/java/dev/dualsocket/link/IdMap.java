package dev.dualsocket.link;

import java.util.Collection;

import io.netty.util.collection.LongObjectHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A map from request ids to values, without a boxed key or a node per entry. Not thread-safe.
 *
 * <p>Request ids are consecutive, and leave roughly in the order they came. In an open-addressing map that puts a key
 * at the slot its low bits name, such keys fill one long run of slots, and taking the oldest out walks the whole run
 * to close the gap: a cost per request that grows with the number kept. Each id is therefore scrambled before it is
 * used as a key, by a multiplication that is a bijection on {@code long} (its factor is odd), so that consecutive ids
 * land far apart and distinct ids stay distinct.
 *
 * @param <V> the type of the values
 */
final class IdMap<V> {

	/** 2^64 divided by the golden ratio, made odd: Fibonacci hashing. */
	private static final long SCRAMBLE = 0x9E3779B97F4A7C15L;

	private final LongObjectHashMap<V> map = new LongObjectHashMap<>();

	private static long key(long id) {
		return id * SCRAMBLE;
	}

	@Nullable V get(long id) {
		return this.map.get(key(id));
	}

	/** @return the value it replaced, or {@code null} */
	@Nullable V put(long id, V value) {
		return this.map.put(key(id), value);
	}

	/** @return the value it took out, or {@code null} */
	@Nullable V remove(long id) {
		return this.map.remove(key(id));
	}

	int size() {
		return this.map.size();
	}

	/** The values, a view of the map: copy it before the map changes. */
	Collection<V> values() {
		return this.map.values();
	}

	void clear() {
		this.map.clear();
	}

}

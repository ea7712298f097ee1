package dev.dualsocket.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A map from request ids to values, without a boxed key or a node per entry for ids close to each other. Not
 * thread-safe; values are never {@code null}.
 *
 * <p>Request ids are consecutive, and leave roughly in the order they came, so the ids kept at any time span a window
 * not much wider than their number. Each id has its slot in a ring sized to that window ({@code id & mask}), which
 * makes every operation one array access; the ring doubles while it is more than half full. An id whose slot is held
 * by another (one kept while many later ids came and went, such as a request whose handler runs long) goes to a
 * small overflow map instead, which is empty as long as no request lags that far behind.
 *
 * @param <V> the type of the values
 */
final class IdMap<V> {

	private static final int INITIAL_SLOTS = 16;

	private long[] ids = new long[INITIAL_SLOTS];

	private @Nullable Object[] values = new Object[INITIAL_SLOTS];

	/** Entries whose slot another id held when they came. */
	private final Map<Long, V> overflow = new HashMap<>();

	/** Entries in the ring. */
	private int inRing;

	@SuppressWarnings("unchecked")
	@Nullable V get(long id) {
		int slot = slot(id);
		Object value = this.values[slot];
		if (value != null && this.ids[slot] == id) {
			return (V) value;
		}
		return this.overflow.isEmpty() ? null : this.overflow.get(id);
	}

	/** @return the value it replaced, or {@code null} */
	@SuppressWarnings("unchecked")
	@Nullable V put(long id, V value) {
		int slot = slot(id);
		Object held = this.values[slot];
		if (held != null && this.ids[slot] == id) {
			this.values[slot] = value;
			return (V) held;
		}
		if (held == null) {
			V previous = this.overflow.isEmpty() ? null : this.overflow.remove(id);
			this.ids[slot] = id;
			this.values[slot] = value;
			this.inRing++;
			if (this.inRing > this.values.length / 2) {
				grow();
			}
			return previous;
		}
		return this.overflow.put(id, value);
	}

	/** @return the value it took out, or {@code null} */
	@SuppressWarnings("unchecked")
	@Nullable V remove(long id) {
		int slot = slot(id);
		Object held = this.values[slot];
		if (held != null && this.ids[slot] == id) {
			this.values[slot] = null;
			this.inRing--;
			return (V) held;
		}
		return this.overflow.isEmpty() ? null : this.overflow.remove(id);
	}

	int size() {
		return this.inRing + this.overflow.size();
	}

	/** A copy of the values, in no particular order. */
	@SuppressWarnings("unchecked")
	List<V> values() {
		List<V> all = new ArrayList<>(size());
		for (Object value : this.values) {
			if (value != null) {
				all.add((V) value);
			}
		}
		all.addAll(this.overflow.values());
		return all;
	}

	void clear() {
		this.ids = new long[INITIAL_SLOTS];
		this.values = new Object[INITIAL_SLOTS];
		this.inRing = 0;
		this.overflow.clear();
	}

	private int slot(long id) {
		return (int) id & (this.values.length - 1);
	}

	/** Doubles the ring; an entry whose new slot is taken (the ring holds ids further apart) goes to the overflow. */
	@SuppressWarnings("unchecked")
	private void grow() {
		long[] oldIds = this.ids;
		Object[] oldValues = this.values;
		this.ids = new long[oldIds.length * 2];
		this.values = new Object[oldValues.length * 2];
		this.inRing = 0;
		for (int i = 0; i < oldValues.length; i++) {
			if (oldValues[i] != null) {
				int slot = slot(oldIds[i]);
				if (this.values[slot] == null) {
					this.ids[slot] = oldIds[i];
					this.values[slot] = oldValues[i];
					this.inRing++;
				}
				else {
					this.overflow.put(oldIds[i], (V) oldValues[i]);
				}
			}
		}
	}

}

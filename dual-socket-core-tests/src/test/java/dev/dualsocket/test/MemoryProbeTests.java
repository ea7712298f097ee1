package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.time.Duration;

import dev.dualsocket.test.MemoryProbe.Usage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * The kit's {@link MemoryProbe} sees what is held on the heap and what Netty holds off it, and counts Netty's direct
 * memory once, whichever of the JDK and Netty counts it.
 */
class MemoryProbeTests {

	private static final long MIB = 1024 * 1024;

	@Test
	void directBufferOfNettysPooledAllocatorIsCountedOnceAndNoLongerOnceReleased() {
		Usage baseline = MemoryProbe.settled(Duration.ofSeconds(5));
		ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(32 * (int) MIB);
		Usage holding = MemoryProbe.measure();
		buffer.release();
		Usage released = MemoryProbe.measure();

		assertThat(holding.minus(baseline).direct()).isBetween(32 * MIB, 34 * MIB);
		assertThat(released.minus(baseline).direct()).isLessThan(2 * MIB);
	}

	@Test
	void heapThatIsStillReachableIsCountedAndGarbageIsNot() {
		Usage baseline = MemoryProbe.settled(Duration.ofSeconds(5));
		byte[] held = new byte[64 * (int) MIB];
		Usage holding = MemoryProbe.measure();
		Reference.reachabilityFence(held);
		held = null; // an interpreted frame would keep the array reachable through its local otherwise
		Usage dropped = MemoryProbe.measure();

		// G1 puts an array this large in regions of its own and counts them whole: up to one region (at most 32 MiB,
		// 4 MiB with this JVM's heap) more.
		assertThat(holding.minus(baseline).heap()).isBetween(64 * MIB, 64 * MIB + 32 * MIB);
		assertThat(dropped.minus(baseline).heap()).isLessThan(2 * MIB);
	}

}

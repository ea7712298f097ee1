package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.SocketSnapshot;

/**
 * What the recovery tests check again and again.
 */
public final class RecoveryAssertions {

	private RecoveryAssertions() {
	}

	/**
	 * Every change was made by the given procedure, about the given socket.
	 */
	public static void assertAllBy(List<LinkStateChangedEvent> changes, RecoveryProcedure procedure, SocketRole socket) {
		assertThat(changes).isNotEmpty().allSatisfy((change) -> {
			assertThat(change.getProcedure()).isEqualTo(procedure);
			assertThat(change.getSocket()).isEqualTo(socket);
		});
	}

	/**
	 * The socket the procedure did not touch still carries the connection it had: the proxied connection is open,
	 * the local address is the same and no other connection was ever attached.
	 */
	public static void assertSameConnection(SocketSnapshot socket, FaultProxy.Connection proxied, String localAddressBefore) {
		assertThat(proxied.isOpen()).isTrue();
		assertThat(socket.localAddress()).isEqualTo(localAddressBefore);
		assertThat(socket.connects()).isOne();
	}

}

/**
 * The dual-socket test kit, for applications' tests and the library's own: add {@code dual-socket-test} with test
 * scope.
 *
 * <ul>
 * <li>{@link dev.dualsocket.test.FaultProxy}: a proxy between a client and a server endpoint that cuts,
 * black-holes, delays or refuses one socket of a link;</li>
 * <li>{@link dev.dualsocket.test.LinkStates}: waits for a link to reach a state, and says why when it does not;</li>
 * <li>{@link dev.dualsocket.test.FakePeer}: a scripted server peer that answers, answers late, answers with an
 * error or stays silent, and can stop answering heartbeats on one socket;</li>
 * <li>{@link dev.dualsocket.test.Endpoints}: the bound port of a server endpoint configured with port 0;</li>
 * <li>{@link dev.dualsocket.test.KernelFaults} and {@link dev.dualsocket.test.NetnsRouter}: faults made by the
 * kernel ({@code ss -K}, a veth pair, a router in a network namespace), which skip the calling test with a stated
 * reason where root or a tool is missing;</li>
 * <li>{@link dev.dualsocket.test.Sockets} and {@link dev.dualsocket.test.RawConnection}: the connections behind a
 * link's sockets, and the wire protocol spoken by hand;</li>
 * <li>{@link dev.dualsocket.test.Attacker}: floods and hostile handshakes to point at a server endpoint, each
 * returning what the server did, and {@link dev.dualsocket.test.MemoryProbe}: heap and direct memory, to bound what
 * they made it hold.</li>
 * </ul>
 */
@NullMarked
package dev.dualsocket.test;

import org.jspecify.annotations.NullMarked;

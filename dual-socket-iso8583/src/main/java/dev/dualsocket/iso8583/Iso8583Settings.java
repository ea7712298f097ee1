package dev.dualsocket.iso8583;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

import org.jpos.iso.ISOPackager;

/**
 * How an endpoint speaks ISO 8583.
 *
 * <p>There is no setting for the echo test: the engine's heartbeat is it. Every {@code heartbeat.interval} each
 * connection sends an 0800 with DE70 {@code 301}, and a connection whose echo goes unanswered, or that receives
 * nothing, for {@code heartbeat.timeout} has failed; the peer's 0800/301 are answered with an 0810, DE39
 * {@code 00}.
 *
 * @param packager packs and unpacks the messages (a {@code GenericPackager} from an XML definition, or a packager
 * class such as {@code ISO87APackager}); it must be safe to share among connections, as jPOS's packagers are
 * @param header the length header in front of each message
 * @param keyFields the data elements that, with the MTI, tell one request in flight from another on a connection
 * and find the request a response answers; each 2 to 128
 */
public record Iso8583Settings(ISOPackager packager, LengthHeader header, List<Integer> keyFields) {

	/** STAN (DE11) and card acceptor terminal id (DE41). */
	public static final List<Integer> DEFAULT_KEY_FIELDS = List.of(11, 41);

	public Iso8583Settings {
		Objects.requireNonNull(packager, "packager");
		Objects.requireNonNull(header, "header");
		Objects.requireNonNull(keyFields, "keyFields");
		if (keyFields.isEmpty()) {
			throw new IllegalArgumentException("iso8583.key-fields needs at least one data element (11, the STAN, is "
					+ "usual); with none no response could be told from another");
		}
		for (Integer field : keyFields) {
			if (field == null || field < 2 || field > 128) {
				throw new IllegalArgumentException(
						"iso8583.key-fields holds data elements 2 to 128, not " + field + ": " + keyFields);
			}
		}
		if (new HashSet<>(keyFields).size() != keyFields.size()) {
			throw new IllegalArgumentException("iso8583.key-fields names a data element twice: " + keyFields);
		}
		keyFields = List.copyOf(keyFields);
	}

	/**
	 * A packager with a binary two-byte length header and key fields DE11 (STAN) and DE41 (terminal id).
	 * @param packager the packager
	 * @return the settings
	 */
	public static Iso8583Settings of(ISOPackager packager) {
		return new Iso8583Settings(packager, LengthHeader.BINARY_2, DEFAULT_KEY_FIELDS);
	}

	/**
	 * The same settings with another length header.
	 * @param header the header
	 * @return the settings
	 */
	public Iso8583Settings withHeader(LengthHeader header) {
		return new Iso8583Settings(this.packager, header, this.keyFields);
	}

	/**
	 * The same settings with other key fields.
	 * @param keyFields the data elements, 2 to 128
	 * @return the settings
	 */
	public Iso8583Settings withKeyFields(List<Integer> keyFields) {
		return new Iso8583Settings(this.packager, this.header, keyFields);
	}

}

package dev.dualsocket.smpp;

import java.util.Map;

import dev.dualsocket.transport.ProtocolViolationException;
import org.jspecify.annotations.Nullable;

/**
 * The little of an SMPP PDU the binding reads itself: the 16-byte header (command_length, command_id,
 * command_status, sequence_number, each 4 bytes big-endian), the command ids and status codes it names in log lines
 * and answers with. Bodies are composed and read by jSMPP.
 */
final class Pdus {

	static final int HEADER_LENGTH = 16;

	static final int RESPONSE_BIT = 0x80000000;

	static final int GENERIC_NACK = 0x80000000;

	static final int BIND_RECEIVER = 0x00000001;

	static final int BIND_TRANSMITTER = 0x00000002;

	static final int QUERY_SM = 0x00000003;

	static final int SUBMIT_SM = 0x00000004;

	static final int DELIVER_SM = 0x00000005;

	static final int UNBIND = 0x00000006;

	static final int REPLACE_SM = 0x00000007;

	static final int CANCEL_SM = 0x00000008;

	static final int BIND_TRANSCEIVER = 0x00000009;

	static final int OUTBIND = 0x0000000B;

	static final int ENQUIRE_LINK = 0x00000015;

	static final int SUBMIT_MULTI = 0x00000021;

	static final int ALERT_NOTIFICATION = 0x00000102;

	static final int DATA_SM = 0x00000103;

	static final int ESME_ROK = 0x00;

	static final int ESME_RINVCMDID = 0x03;

	static final int ESME_RINVBNDSTS = 0x04;

	static final int ESME_RALYBND = 0x05;

	static final int ESME_RSYSERR = 0x08;

	static final int ESME_RBINDFAIL = 0x0D;

	static final int ESME_RINVPASWD = 0x0E;

	static final int ESME_RTHROTTLED = 0x58;

	/** SMPP 3.4, in a bind's interface_version. */
	static final byte INTERFACE_VERSION_34 = 0x34;

	private static final Map<Integer, String> COMMANDS = Map.ofEntries(Map.entry(GENERIC_NACK, "generic_nack"),
			Map.entry(BIND_RECEIVER, "bind_receiver"), Map.entry(BIND_TRANSMITTER, "bind_transmitter"),
			Map.entry(QUERY_SM, "query_sm"), Map.entry(SUBMIT_SM, "submit_sm"), Map.entry(DELIVER_SM, "deliver_sm"),
			Map.entry(UNBIND, "unbind"), Map.entry(REPLACE_SM, "replace_sm"), Map.entry(CANCEL_SM, "cancel_sm"),
			Map.entry(BIND_TRANSCEIVER, "bind_transceiver"), Map.entry(OUTBIND, "outbind"),
			Map.entry(ENQUIRE_LINK, "enquire_link"), Map.entry(SUBMIT_MULTI, "submit_multi"),
			Map.entry(ALERT_NOTIFICATION, "alert_notification"), Map.entry(DATA_SM, "data_sm"),
			Map.entry(0x00000111, "broadcast_sm"), Map.entry(0x00000112, "query_broadcast_sm"),
			Map.entry(0x00000113, "cancel_broadcast_sm"));

	private static final Map<Integer, String> STATUSES = Map.ofEntries(Map.entry(ESME_ROK, "ESME_ROK"),
			Map.entry(0x01, "ESME_RINVMSGLEN"), Map.entry(0x02, "ESME_RINVCMDLEN"), Map.entry(ESME_RINVCMDID,
					"ESME_RINVCMDID"),
			Map.entry(ESME_RINVBNDSTS, "ESME_RINVBNDSTS"), Map.entry(ESME_RALYBND, "ESME_RALYBND"),
			Map.entry(0x06, "ESME_RINVPRTFLG"), Map.entry(0x07, "ESME_RINVREGDLVFLG"),
			Map.entry(ESME_RSYSERR, "ESME_RSYSERR"), Map.entry(0x0A, "ESME_RINVSRCADR"),
			Map.entry(0x0B, "ESME_RINVDSTADR"), Map.entry(0x0C, "ESME_RINVMSGID"),
			Map.entry(ESME_RBINDFAIL, "ESME_RBINDFAIL"), Map.entry(ESME_RINVPASWD, "ESME_RINVPASWD"),
			Map.entry(0x0F, "ESME_RINVSYSID"), Map.entry(0x14, "ESME_RMSGQFUL"), Map.entry(0x45, "ESME_RSUBMITFAIL"),
			Map.entry(ESME_RTHROTTLED, "ESME_RTHROTTLED"), Map.entry(0x64, "ESME_RX_T_APPN"),
			Map.entry(0x65, "ESME_RX_P_APPN"), Map.entry(0x66, "ESME_RX_R_APPN"), Map.entry(0xFF, "ESME_RUNKNOWNERR"));

	private Pdus() {
	}

	static int commandLength(byte[] pdu) {
		return intAt(pdu, 0);
	}

	static int commandId(byte[] pdu) {
		return intAt(pdu, 4);
	}

	static int commandStatus(byte[] pdu) {
		return intAt(pdu, 8);
	}

	static int sequenceNumber(byte[] pdu) {
		return intAt(pdu, 12);
	}

	static boolean isResponse(int commandId) {
		return (commandId & RESPONSE_BIT) != 0;
	}

	/**
	 * A copy of a PDU with another sequence number.
	 */
	static byte[] withSequenceNumber(byte[] pdu, int sequenceNumber) {
		byte[] copy = pdu.clone();
		putInt(copy, 12, sequenceNumber);
		return copy;
	}

	/**
	 * A PDU of the header alone: a negative response, {@code enquire_link}, {@code unbind} and their answers.
	 */
	static byte[] header(int commandId, int commandStatus, int sequenceNumber) {
		byte[] pdu = new byte[HEADER_LENGTH];
		putInt(pdu, 0, HEADER_LENGTH);
		putInt(pdu, 4, commandId);
		putInt(pdu, 8, commandStatus);
		putInt(pdu, 12, sequenceNumber);
		return pdu;
	}

	/**
	 * Whether bytes are one whole PDU: at least a header, and as long as its command_length says.
	 * @return what is wrong with them, or {@code null} if nothing is
	 */
	static @Nullable String notWhole(byte[] pdu) {
		if (pdu.length < HEADER_LENGTH) {
			return "it has " + pdu.length + " bytes, fewer than the 16-byte header";
		}
		if (commandLength(pdu) != pdu.length) {
			return "its command_length says " + Integer.toUnsignedString(commandLength(pdu)) + " bytes but it has "
					+ pdu.length;
		}
		return null;
	}

	/**
	 * The name of a command.
	 * @return for example {@code "deliver_sm"}, {@code "submit_sm_resp"}, or {@code "command 0x00000abc"}
	 */
	static String commandName(int commandId) {
		String name = requestName(commandId & ~RESPONSE_BIT);
		if (commandId == GENERIC_NACK) {
			return "generic_nack";
		}
		if (name == null) {
			return String.format("command 0x%08x", commandId);
		}
		return isResponse(commandId) ? name + "_resp" : name;
	}

	/**
	 * The name of a request command this binding knows.
	 * @return for example {@code "deliver_sm"}, or {@code null} for an unknown command id
	 */
	static @Nullable String requestName(int commandId) {
		return isResponse(commandId) ? null : COMMANDS.get(commandId);
	}

	/**
	 * A status for a log line or an exception.
	 * @return for example {@code "ESME_RINVPASWD (0x0000000e)"}
	 */
	static String statusName(int status) {
		String name = STATUSES.get(status);
		return (name != null) ? String.format("%s (0x%08x)", name, status) : String.format("status 0x%08x", status);
	}

	/**
	 * Reads a PDU's header, refusing one too short for it.
	 */
	static void requireHeader(byte[] pdu) {
		if (pdu.length < HEADER_LENGTH) {
			throw new ProtocolViolationException("an SMPP PDU has a 16-byte header; got " + pdu.length + " bytes");
		}
	}

	private static int intAt(byte[] bytes, int offset) {
		return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) | ((bytes[offset + 2] & 0xFF) << 8)
				| (bytes[offset + 3] & 0xFF);
	}

	private static void putInt(byte[] bytes, int offset, int value) {
		bytes[offset] = (byte) (value >>> 24);
		bytes[offset + 1] = (byte) (value >>> 16);
		bytes[offset + 2] = (byte) (value >>> 8);
		bytes[offset + 3] = (byte) value;
	}

}

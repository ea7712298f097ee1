package dev.dualsocket.smpp;

import java.util.Map;

/**
 * The SMPP settings of an endpoint. A client (the ESME) binds with {@code password} and {@code systemType}; its link
 * id is the {@code system_id}. A server (an SMSC) checks each bind's password against {@code passwords} and names
 * itself {@code smscSystemId} in its answers.
 *
 * @param password the client's password, at most {@value #MAX_PASSWORD_LENGTH} characters (SMPP 3.4); may be empty
 * @param systemType the client's system_type, at most {@value #MAX_SYSTEM_TYPE_LENGTH} characters; may be empty
 * @param passwords the server's password of each system_id it accepts. Empty: the server checks no password, and
 * then a bind cannot replace a connection of its link that is still up (it is taken for a stranger's), only one that
 * has failed
 * @param smscSystemId the system_id the server answers binds with, at most {@value #MAX_SYSTEM_ID_LENGTH}
 * characters
 */
public record SmppSettings(String password, String systemType, Map<String, String> passwords, String smscSystemId) {

	/** The most characters of a password in SMPP 3.4 (a C-Octet String of 9 bytes). */
	public static final int MAX_PASSWORD_LENGTH = 8;

	/** The most characters of a system_type in SMPP 3.4 (13 bytes). */
	public static final int MAX_SYSTEM_TYPE_LENGTH = 12;

	/** The most characters of a system_id in SMPP 3.4 (16 bytes): the link id of an SMPP link. */
	public static final int MAX_SYSTEM_ID_LENGTH = 15;

	/** The system_id a server answers with when none is set. */
	public static final String DEFAULT_SMSC_SYSTEM_ID = "dual-socket";

	/**
	 * Checks every length, naming the setting that is too long.
	 */
	public SmppSettings {
		check("smpp.password", password, MAX_PASSWORD_LENGTH);
		check("smpp.system-type", systemType, MAX_SYSTEM_TYPE_LENGTH);
		check("smpp.smsc-system-id", smscSystemId, MAX_SYSTEM_ID_LENGTH);
		passwords = Map.copyOf(passwords);
		passwords.forEach((systemId, secret) -> {
			if (systemId.isEmpty()) {
				throw new IllegalArgumentException("smpp.accounts holds an empty system_id");
			}
			check("the system_id '" + systemId + "' of smpp.accounts", systemId, MAX_SYSTEM_ID_LENGTH);
			check("smpp.accounts." + systemId + ".password", secret, MAX_PASSWORD_LENGTH);
		});
	}

	/**
	 * The settings of a client (an ESME).
	 * @param password its password
	 * @param systemType its system_type, or an empty string
	 * @return the settings
	 */
	public static SmppSettings client(String password, String systemType) {
		return new SmppSettings(password, systemType, Map.of(), DEFAULT_SMSC_SYSTEM_ID);
	}

	/**
	 * The settings of a server (an SMSC).
	 * @param passwords the password of each system_id; empty for none
	 * @param smscSystemId the system_id it answers binds with
	 * @return the settings
	 */
	public static SmppSettings server(Map<String, String> passwords, String smscSystemId) {
		return new SmppSettings("", "", passwords, smscSystemId);
	}

	/**
	 * Whether the server checks passwords.
	 * @return {@code true} if {@link #passwords} names any system_id
	 */
	public boolean authenticates() {
		return !this.passwords.isEmpty();
	}

	private static void check(String setting, String value, int max) {
		if (value.length() > max) {
			throw new IllegalArgumentException(setting + " is at most " + max + " characters in SMPP 3.4, was "
					+ value.length());
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7E) {
				throw new IllegalArgumentException(setting + " is printable ASCII in SMPP 3.4; it holds "
						+ String.format("U+%04X at %d", (int) c, i));
			}
		}
	}

}

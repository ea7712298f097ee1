package dev.dualsocket.iso8583;

/**
 * What the binding reads from a message type indicator: four digits, version, class, function, origin.
 */
final class Mti {

	private Mti() {
	}

	/**
	 * Checks that an MTI is four digits.
	 * @throws IllegalArgumentException if it is not
	 */
	static String check(String mti) {
		if (mti.length() != 4) {
			throw new IllegalArgumentException("an MTI is 4 digits, was '" + mti + "'");
		}
		for (int i = 0; i < 4; i++) {
			if (mti.charAt(i) < '0' || mti.charAt(i) > '9') {
				throw new IllegalArgumentException("an MTI is 4 digits, was '" + mti + "'");
			}
		}
		return mti;
	}

	/**
	 * Whether a message answers another: its third digit (the function) is odd, as in 0210, 0810, 0430.
	 */
	static boolean isResponse(String mti) {
		return (mti.charAt(2) - '0') % 2 == 1;
	}

	/**
	 * The pair a request and its response share: the first two digits and the request's function digit, without the
	 * origin, so that an 0200 and its repeat 0201 are one pair, answered by 0210.
	 */
	static String pair(String mti) {
		int function = mti.charAt(2) - '0';
		return mti.substring(0, 2) + (char) ('0' + function - function % 2);
	}

	/**
	 * The MTI of the response to a request: 0200 to 0210, 0201 (a repeat) to 0210, 0800 to 0810, 0420 to 0430.
	 */
	static String responseTo(String requestMti) {
		String pair = pair(requestMti);
		int origin = requestMti.charAt(3) - '0';
		return pair.substring(0, 2) + (char) (pair.charAt(2) + 1) + (char) ('0' + origin - origin % 2);
	}

}

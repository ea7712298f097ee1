package dev.dualsocket.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 challenge–response of section 4.5 of the protocol: nonces, and the client's and the server's
 * proofs, each bound to the exact bytes of the connection's {@code HELLO} and to both nonces.
 */
public final class Authentication {

	/** Bytes of a nonce. */
	public static final int NONCE_LENGTH = 16;

	/** Bytes of a proof: one HMAC-SHA256. */
	public static final int PROOF_LENGTH = 32;

	/** The fewest bytes of secret the library accepts. */
	public static final int MIN_SECRET_LENGTH = 16;

	private static final byte[] CLIENT_LABEL = "dual-socket client proof".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] SERVER_LABEL = "dual-socket server proof".getBytes(StandardCharsets.US_ASCII);

	private static final SecureRandom RANDOM = new SecureRandom();

	private Authentication() {
	}

	/**
	 * Draws a nonce.
	 * @return {@value #NONCE_LENGTH} random bytes
	 */
	public static byte[] nonce() {
		byte[] nonce = new byte[NONCE_LENGTH];
		RANDOM.nextBytes(nonce);
		return nonce;
	}

	/**
	 * {@code HMAC-SHA256(secret, "dual-socket client proof" || Ns || Nc || H)}.
	 * @param secret the link's secret
	 * @param serverNonce Ns
	 * @param clientNonce Nc
	 * @param hello H, the payload of the client's HELLO
	 * @return the proof
	 */
	public static byte[] clientProof(byte[] secret, byte[] serverNonce, byte[] clientNonce, byte[] hello) {
		return hmac(secret, CLIENT_LABEL, serverNonce, clientNonce, hello);
	}

	/**
	 * {@code HMAC-SHA256(secret, "dual-socket server proof" || Nc || Ns || H || T)}.
	 * @param secret the link's secret
	 * @param clientNonce Nc
	 * @param serverNonce Ns
	 * @param hello H, the payload of the client's HELLO
	 * @param token T, the token of the HELLO_ACCEPT
	 * @return the proof
	 */
	public static byte[] serverProof(byte[] secret, byte[] clientNonce, byte[] serverNonce, byte[] hello,
			byte[] token) {
		return hmac(secret, SERVER_LABEL, clientNonce, serverNonce, hello, token);
	}

	/**
	 * Compares a proof with the expected one in constant time.
	 * @param expected the proof computed here
	 * @param presented the proof received
	 * @return whether they are equal
	 */
	public static boolean matches(byte[] expected, byte[] presented) {
		return MessageDigest.isEqual(expected, presented);
	}

	/**
	 * One HMAC-SHA256 engine per thread: looking the algorithm up among the security providers cost each proof more
	 * than computing it. Each use initialises it with the secret afresh, which also resets it; nothing of one proof
	 * stays for the next.
	 */
	private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
		try {
			return Mac.getInstance("HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			// Every Java platform must provide HmacSHA256.
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	});

	private static byte[] hmac(byte[] secret, byte[]... parts) {
		try {
			Mac mac = MACS.get();
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			for (byte[] part : parts) {
				mac.update(part);
			}
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			// Every Java platform must provide HmacSHA256.
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}

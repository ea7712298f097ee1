package dev.dualsocket.endpoint;

import java.nio.charset.StandardCharsets;

import dev.dualsocket.transport.Authentication;
import org.jspecify.annotations.Nullable;

/**
 * How an endpoint's connections prove they belong to their link (section 4.5 of the protocol): by a shared secret
 * (HMAC-SHA256 challenge–response), by the link id being named in the TLS client certificate, by both, or not at all.
 * A server that authenticates refuses every connection that does not prove itself, and replaces a live link's session
 * only for a connection that did; a client that holds a secret also requires the server to prove it.
 */
public final class LinkAuthentication {

	/** No authentication. */
	public static final LinkAuthentication NONE = new LinkAuthentication(null, false);

	private final @Nullable LinkSecretResolver secrets;

	private final boolean certificateBinding;

	private LinkAuthentication(@Nullable LinkSecretResolver secrets, boolean certificateBinding) {
		this.secrets = secrets;
		this.certificateBinding = certificateBinding;
	}

	/**
	 * Authentication by one secret for every link.
	 * @param secret the secret; its UTF-8 bytes are the HMAC key
	 * @return the authentication
	 * @throws IllegalArgumentException if it is shorter than
	 * {@value dev.dualsocket.transport.Authentication#MIN_SECRET_LENGTH} bytes
	 */
	public static LinkAuthentication secret(String secret) {
		byte[] key = secret.getBytes(StandardCharsets.UTF_8);
		checkSecret(key);
		return new LinkAuthentication((endpoint, linkId) -> key.clone(), false);
	}

	/**
	 * Authentication by a secret per link (on a server).
	 * @param secrets looks up each link's secret
	 * @return the authentication
	 */
	public static LinkAuthentication secrets(LinkSecretResolver secrets) {
		return new LinkAuthentication(secrets, false);
	}

	/**
	 * Also requires (on a server) that the TLS client certificate names the link id, as its subject's common name or
	 * one of its DNS or URI subject alternative names. Needs mutual TLS.
	 * @return the authentication with the certificate binding
	 */
	public LinkAuthentication withCertificateBinding() {
		return new LinkAuthentication(this.secrets, true);
	}

	/**
	 * Checks a secret's length.
	 * @param secret the secret's bytes
	 * @throws IllegalArgumentException if it is too short to be a key
	 */
	static void checkSecret(byte[] secret) {
		if (secret.length < Authentication.MIN_SECRET_LENGTH) {
			throw new IllegalArgumentException("a link secret must be at least " + Authentication.MIN_SECRET_LENGTH
					+ " bytes, was " + secret.length);
		}
	}

	public @Nullable LinkSecretResolver secrets() {
		return this.secrets;
	}

	public boolean certificateBinding() {
		return this.certificateBinding;
	}

	/**
	 * Whether connections must prove themselves at all.
	 * @return {@code true} unless this is {@link #NONE}
	 */
	public boolean isRequired() {
		return this.secrets != null || this.certificateBinding;
	}

	/**
	 * The secret of a link, checked.
	 * @param endpoint the endpoint's name
	 * @param linkId the link id
	 * @return the secret, or {@code null} if there is none (or it is too short to use)
	 */
	public byte @Nullable [] secretFor(String endpoint, String linkId) {
		LinkSecretResolver resolver = this.secrets;
		if (resolver == null) {
			return null;
		}
		byte[] secret = resolver.secretFor(endpoint, linkId);
		return (secret != null && secret.length >= Authentication.MIN_SECRET_LENGTH) ? secret : null;
	}

	@Override
	public String toString() {
		// Never the secret itself.
		return "LinkAuthentication[" + ((this.secrets != null) ? "secret" : "") + (isRequired() && this.certificateBinding
				? ((this.secrets != null) ? ", " : "") + "certificate" : "") + "]";
	}

}

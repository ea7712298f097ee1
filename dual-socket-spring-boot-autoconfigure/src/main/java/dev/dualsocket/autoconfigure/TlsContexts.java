package dev.dualsocket.autoconfigure;

import java.util.List;

import javax.net.ssl.SSLException;

import dev.dualsocket.EndpointRole;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Builds Netty TLS contexts from Spring Boot SSL bundles ({@code spring.ssl.bundle.*}). A client trusts what its
 * bundle's trust store trusts and checks that the server's certificate names the host it connects to; a server whose
 * bundle has a trust store requires client certificates (mutual TLS).
 */
final class TlsContexts {

	private final @Nullable SslBundles bundles;

	TlsContexts(@Nullable SslBundles bundles) {
		this.bundles = bundles;
	}

	SslContext forBundle(String name, EndpointRole role, String property) {
		if (this.bundles == null) {
			throw new InvalidDualSocketPropertyException(property, name,
					"the name of an SSL bundle, but no spring.ssl.bundle is configured");
		}
		SslBundle bundle;
		try {
			bundle = this.bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidDualSocketPropertyException(property, name,
					"one of the configured SSL bundles " + this.bundles.getBundleNames());
		}
		try {
			return build(bundle, role);
		}
		catch (SSLException | RuntimeException ex) {
			throw new IllegalStateException("SSL bundle '" + name + "' (" + property + ") cannot be used for TLS: "
					+ ex.getMessage(), ex);
		}
	}

	private static SslContext build(SslBundle bundle, EndpointRole role) throws SSLException {
		SslManagerBundle managers = bundle.getManagers();
		SslContextBuilder builder;
		if (role == EndpointRole.SERVER) {
			builder = SslContextBuilder.forServer(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory())
				.clientAuth((bundle.getStores().getTrustStore() != null) ? ClientAuth.REQUIRE : ClientAuth.NONE);
		}
		else {
			builder = SslContextBuilder.forClient()
				.keyManager(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory());
		}
		SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			builder.ciphers(List.of(options.getCiphers()));
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		return builder.build();
	}

}

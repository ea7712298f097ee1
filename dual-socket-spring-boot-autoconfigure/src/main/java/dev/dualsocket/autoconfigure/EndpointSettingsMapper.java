package dev.dualsocket.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.autoconfigure.DualSocketProperties.Endpoint;
import dev.dualsocket.autoconfigure.DualSocketProperties.LinkProperties;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.EndpointSettings.Address;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.endpoint.LinkSecretResolver;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.protocol.DualSocketProtocol;
import dev.dualsocket.protocol.Pairing;
import dev.dualsocket.protocol.WireProtocol;
import dev.dualsocket.transport.Authentication;
import dev.dualsocket.transport.Hello;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Turns the properties of one endpoint, with the defaults it inherits, into the engine's {@link EndpointSettings},
 * checking each value: a missing or unusable value fails with the property's full name and what it allows.
 */
final class EndpointSettingsMapper {

	private static final String PREFIX = "dual-socket.";

	private static final long MIN_FRAME_SIZE = 1024;

	private final LinkProperties defaults;

	private final TlsContexts tls;

	private final @Nullable LinkSecretResolver secrets;

	EndpointSettingsMapper(LinkProperties defaults, TlsContexts tls, @Nullable LinkSecretResolver secrets) {
		this.defaults = defaults;
		this.tls = tls;
		this.secrets = secrets;
	}

	EndpointSettings map(String name, Endpoint endpoint) {
		Values values = new Values(name, endpoint);
		EndpointRole role = values.required("role", endpoint.getRole(), "client or server");
		String host = endpoint.getHost();
		if (role == EndpointRole.CLIENT && (host == null || host.isBlank())) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("host"), null,
					"the peer's host name or IP address");
		}
		int port = values.required("port", endpoint.getPort(), (role == EndpointRole.CLIENT) ? "1 to 65535" : "0 to 65535");
		if (port < ((role == EndpointRole.CLIENT) ? 1 : 0) || port > 65535) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("port"), port,
					(role == EndpointRole.CLIENT) ? "1 to 65535" : "0 to 65535 (0 picks a free port)");
		}
		String linkId = null;
		if (role == EndpointRole.CLIENT || endpoint.getProtocol() == DualSocketProperties.Protocol.ISO8583) {
			linkId = values.required("link-id", endpoint.getLinkId(), "1 to 255 bytes of UTF-8");
			int length = linkId.getBytes(StandardCharsets.UTF_8).length;
			if (length == 0 || length > Hello.MAX_LINK_ID_LENGTH) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("link-id"), linkId,
						"1 to 255 bytes of UTF-8");
			}
		}
		List<Address> standby = new ArrayList<>();
		for (int i = 0; i < endpoint.getStandby().size(); i++) {
			String address = endpoint.getStandby().get(i);
			if (role != EndpointRole.CLIENT) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("standby[" + i + "]"), address,
						"standby addresses only on a client endpoint");
			}
			try {
				standby.add(Address.parse(address));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("standby[" + i + "]"), address,
						"host:port with a port of 1 to 65535");
			}
		}
		String bundle = endpoint.getSsl().getBundle();
		SslContext ssl = (bundle != null && !bundle.isBlank())
				? this.tls.forBundle(bundle, role, values.endpointProperty("ssl.bundle")) : null;
		int maxLinks = serverLimit(values, role, "max-links", endpoint.getMaxLinks(), EndpointSettings.DEFAULT_MAX_LINKS);
		int maxPendingHandshakes = serverLimit(values, role, "max-pending-handshakes",
				endpoint.getMaxPendingHandshakes(), EndpointSettings.DEFAULT_MAX_PENDING_HANDSHAKES);
		int maxConnectionsPerAddress = serverLimit(values, role, "max-connections-per-address",
				endpoint.getMaxConnectionsPerAddress(), EndpointSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
		LinkAuthentication auth = auth(values, role, endpoint.getAuth(), ssl != null);
		WireProtocol protocol = protocol(values, role, endpoint);
		if (protocol != DualSocketProtocol.INSTANCE && auth.isRequired()) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty(
					(endpoint.getAuth().getSecret() != null) ? "auth.secret" : "auth.certificate-binding"), "set",
					"unset with protocol " + protocol.getName() + ": it authenticates this project's HELLO handshake"
							+ ((endpoint.getProtocol() == DualSocketProperties.Protocol.SMPP)
									? "; SMPP binds prove smpp.password" : "")
							+ "; use TLS with client certificates (ssl.bundle) to keep strangers off the link");
		}
		int inboundPort = inboundPort(values, role, endpoint, protocol, port);
		return new EndpointSettings(name, role, (host != null && !host.isBlank()) ? host : "0.0.0.0", port, linkId,
				linkSettings(values), ssl, standby, maxLinks, maxPendingHandshakes, maxConnectionsPerAddress, auth,
				failback(values, role, endpoint.getFailback(), !standby.isEmpty()), protocol, inboundPort);
	}

	/**
	 * The endpoint's wire protocol, with its own settings checked. A binding is only loaded when it is chosen, so that
	 * an application without jPOS or jSMPP never needs them.
	 */
	private static WireProtocol protocol(Values values, EndpointRole role, Endpoint endpoint) {
		return switch (endpoint.getProtocol()) {
			case DUAL_SOCKET -> DualSocketProtocol.INSTANCE;
			case ISO8583 -> {
				values.requireBinding("iso8583", "dev.dualsocket.iso8583.Iso8583Protocol", "dual-socket-iso8583",
						"org.jpos.iso.ISOMsg", "org.jpos:jpos");
				yield Iso8583Binding.create(values, endpoint.getIso8583());
			}
			case SMPP -> {
				values.requireBinding("smpp", "dev.dualsocket.smpp.SmppProtocol", "dual-socket-smpp",
						"org.jsmpp.bean.Command", "org.jsmpp:jsmpp");
				yield SmppBinding.create(values, role, endpoint.getSmpp());
			}
		};
	}

	/**
	 * The port of the inbound socket: required by a protocol that pairs connections by port, refused by the others.
	 */
	private static int inboundPort(Values values, EndpointRole role, Endpoint endpoint, WireProtocol protocol,
			int port) {
		Integer inboundPort = endpoint.getInboundPort();
		if (protocol.getPairing() != Pairing.PORT) {
			if (inboundPort != null) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("inbound-port"), inboundPort,
						"unset with protocol " + protocol.getName() + ", whose handshake names each connection; only a "
								+ "protocol that pairs connections by port (iso8583) takes one");
			}
			return 0;
		}
		String allowed = "1 to 65535, other than port (protocol " + protocol.getName()
				+ " pairs connections by the port they arrive on)";
		int value = values.required("inbound-port", inboundPort, allowed);
		if (value < 1 || value > 65535 || (value == port && role == EndpointRole.SERVER)) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("inbound-port"), value, allowed);
		}
		return value;
	}

	/** The ISO 8583 binding, loaded only when chosen. */
	private static final class Iso8583Binding {

		private static final String LENGTH_HEADERS = "binary-2 (two bytes, big-endian) or ascii-4 (four ASCII digits)";

		static WireProtocol create(Values values, DualSocketProperties.Iso8583 iso) {
			String location = values.required("iso8583.packager", iso.getPackager(), "a GenericPackager XML resource "
					+ "(classpath:packager/iso87binary.xml) or a jPOS packager class (org.jpos.iso.packager.ISO87BPackager)");
			org.jpos.iso.ISOPackager packager = packager(values, location);
			dev.dualsocket.iso8583.LengthHeader header;
			try {
				header = dev.dualsocket.iso8583.LengthHeader
					.valueOf(iso.getLengthHeader().trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("iso8583.length-header"),
						iso.getLengthHeader(), LENGTH_HEADERS);
			}
			List<Integer> keyFields = iso.getKeyFields().isEmpty()
					? dev.dualsocket.iso8583.Iso8583Settings.DEFAULT_KEY_FIELDS : iso.getKeyFields();
			try {
				return new dev.dualsocket.iso8583.Iso8583Protocol(
						new dev.dualsocket.iso8583.Iso8583Settings(packager, header, keyFields));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("iso8583.key-fields"), keyFields,
						ex.getMessage());
			}
		}

		private static org.jpos.iso.ISOPackager packager(Values values, String location) {
			String property = values.endpointProperty("iso8583.packager");
			boolean xml = location.contains(":") || location.endsWith(".xml");
			try {
				if (xml) {
					org.springframework.core.io.Resource resource = new org.springframework.core.io.DefaultResourceLoader()
						.getResource(location);
					try (java.io.InputStream in = resource.getInputStream()) {
						return new org.jpos.iso.packager.GenericPackager(in);
					}
				}
				Object packager = BeanUtils.instantiateClass(
						ClassUtils.forName(location, EndpointSettingsMapper.class.getClassLoader()));
				if (packager instanceof org.jpos.iso.ISOPackager isoPackager) {
					return isoPackager;
				}
				throw new InvalidDualSocketPropertyException(property, location,
						"a class that implements org.jpos.iso.ISOPackager");
			}
			catch (java.io.IOException | org.jpos.iso.ISOException | ClassNotFoundException | LinkageError
					| org.springframework.beans.BeanInstantiationException ex) {
				throw new InvalidDualSocketPropertyException(property, location,
						"a GenericPackager XML resource that can be read, or a jPOS packager class on the class path ("
								+ ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")");
			}
		}

	}

	/** The SMPP binding, loaded only when chosen. */
	private static final class SmppBinding {

		static WireProtocol create(Values values, EndpointRole role, DualSocketProperties.Smpp smpp) {
			java.util.Map<String, String> passwords = new java.util.LinkedHashMap<>();
			smpp.getAccounts().forEach((systemId, account) -> passwords.put(systemId, values.required(
					"smpp.accounts." + systemId + ".password", account.getPassword(), "the password of that system id, "
							+ "at most " + dev.dualsocket.smpp.SmppSettings.MAX_PASSWORD_LENGTH + " characters")));
			String password = smpp.getPassword();
			try {
				dev.dualsocket.smpp.SmppSettings settings = (role == EndpointRole.CLIENT)
						? new dev.dualsocket.smpp.SmppSettings((password != null) ? password : "",
								(smpp.getSystemType() != null) ? smpp.getSystemType() : "", java.util.Map.of(),
								smpp.getSmscSystemId())
						: dev.dualsocket.smpp.SmppSettings.server(passwords, smpp.getSmscSystemId());
				return new dev.dualsocket.smpp.SmppProtocol(settings);
			}
			catch (IllegalArgumentException ex) {
				// The binding names the setting first ("smpp.password is at most 8 characters ..."); never its value.
				String message = String.valueOf(ex.getMessage());
				String setting = message.startsWith("smpp.") ? message.substring(0, message.indexOf(' ')) : "smpp";
				throw new InvalidDualSocketPropertyException(values.endpointProperty(setting), null, message);
			}
		}

	}

	/** Failback: only on a client with standby addresses, with positive timings. */
	private static EndpointSettings.Failback failback(Values values, EndpointRole role,
			DualSocketProperties.Failback properties, boolean standby) {
		if (!properties.isEnabled()) {
			return EndpointSettings.Failback.DISABLED;
		}
		if (role != EndpointRole.CLIENT || !standby) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("failback.enabled"), true,
					"true only on a client endpoint with standby addresses (standby)");
		}
		Duration stableFor = properties.getStableFor();
		if (stableFor == null || stableFor.isNegative()) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("failback.stable-for"), stableFor,
					"a duration of 0 or more, for example 30s");
		}
		Duration probeInterval = properties.getProbeInterval();
		if (probeInterval == null || probeInterval.isNegative() || probeInterval.isZero()) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("failback.probe-interval"),
					probeInterval, "a positive duration, for example 500ms or 5s");
		}
		return new EndpointSettings.Failback(true, stableFor, probeInterval);
	}

	/**
	 * The endpoint's authentication: its secret, on a server the secret resolver bean before it, and the certificate
	 * binding. A secret never appears in an error message.
	 */
	private LinkAuthentication auth(Values values, EndpointRole role, DualSocketProperties.Auth properties,
			boolean tls) {
		String secret = properties.getSecret();
		byte[] key = (secret != null) ? secret.getBytes(StandardCharsets.UTF_8) : null;
		if (key != null && key.length < Authentication.MIN_SECRET_LENGTH) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty("auth.secret"),
					"(" + key.length + " bytes, not shown)",
					"a secret of at least " + Authentication.MIN_SECRET_LENGTH + " bytes of UTF-8");
		}
		LinkSecretResolver resolver = (role == EndpointRole.SERVER) ? this.secrets : null;
		LinkAuthentication auth = LinkAuthentication.NONE;
		if (resolver != null) {
			auth = LinkAuthentication.secrets((endpoint, linkId) -> {
				byte[] resolved = resolver.secretFor(endpoint, linkId);
				return (resolved != null) ? resolved : ((key != null) ? key.clone() : null);
			});
		}
		else if (secret != null) {
			auth = LinkAuthentication.secret(secret);
		}
		if (properties.isCertificateBinding()) {
			if (role != EndpointRole.SERVER || !tls) {
				throw new InvalidDualSocketPropertyException(values.endpointProperty("auth.certificate-binding"), true,
						"true only on a server endpoint with an SSL bundle (ssl.bundle) that has a trust store");
			}
			auth = auth.withCertificateBinding();
		}
		return auth;
	}

	/** A limit that only a server endpoint has: a whole number of at least 1, or the default when unset. */
	private static int serverLimit(Values values, EndpointRole role, String property, @Nullable Integer value,
			int defaultValue) {
		if (value == null) {
			return defaultValue;
		}
		if (role != EndpointRole.SERVER || value < 1) {
			throw new InvalidDualSocketPropertyException(values.endpointProperty(property), value,
					(role != EndpointRole.SERVER) ? property + " only on a server endpoint" : "a whole number of at least 1");
		}
		return value;
	}

	private LinkSettings linkSettings(Values values) {
		Duration interval = values.positive("heartbeat.interval", (p) -> p.getHeartbeat().getInterval());
		if (interval.compareTo(LinkSettings.MIN_HEARTBEAT_INTERVAL) < 0) {
			// A peer closes a connection that sends more than 50 heartbeats a second (protocol section 5).
			throw new InvalidDualSocketPropertyException(values.propertyOf("heartbeat.interval",
					(p) -> p.getHeartbeat().getInterval()), interval, "a duration of at least 50ms");
		}
		Duration timeout = values.positive("heartbeat.timeout", (p) -> p.getHeartbeat().getTimeout());
		if (timeout.compareTo(interval) <= 0) {
			throw new InvalidDualSocketPropertyException(values.propertyOf("heartbeat.timeout",
					(p) -> p.getHeartbeat().getTimeout()), timeout, "a duration longer than heartbeat.interval (" + interval + ")");
		}
		DataSize frameSize = values.get("max-frame-size", LinkProperties::getMaxFrameSize);
		if (frameSize.toBytes() < MIN_FRAME_SIZE || frameSize.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidDualSocketPropertyException(values.propertyOf("max-frame-size", LinkProperties::getMaxFrameSize),
					frameSize, "1KB to 2GB");
		}
		DataSize duplicateCacheBytes = values.get("duplicate-cache-bytes", LinkProperties::getDuplicateCacheBytes);
		if (duplicateCacheBytes.toBytes() < 1) {
			throw new InvalidDualSocketPropertyException(values.propertyOf("duplicate-cache-bytes",
					LinkProperties::getDuplicateCacheBytes), duplicateCacheBytes, "a positive size, for example 8MB");
		}
		int maxAttempts = values.atLeast("reconnect.max-attempts", (p) -> p.getReconnect().getMaxAttempts(), 1);
		Duration initialBackoff = values.positive("reconnect.initial-backoff", (p) -> p.getReconnect().getInitialBackoff());
		double multiplier = values.get("reconnect.multiplier", (p) -> p.getReconnect().getMultiplier());
		if (multiplier < 1.0) {
			throw new InvalidDualSocketPropertyException(values.propertyOf("reconnect.multiplier",
					(p) -> p.getReconnect().getMultiplier()), multiplier, "a number of at least 1.0");
		}
		Duration maxBackoff = values.positive("reconnect.max-backoff", (p) -> p.getReconnect().getMaxBackoff());
		int reestablishAttempts = values.get("reconnect.after-disconnect.max-attempts",
				(p) -> p.getReconnect().getAfterDisconnect().getMaxAttempts());
		if (reestablishAttempts < 1 && reestablishAttempts != LinkSettings.AfterDisconnect.UNLIMITED) {
			throw new InvalidDualSocketPropertyException(values.propertyOf("reconnect.after-disconnect.max-attempts",
					(p) -> p.getReconnect().getAfterDisconnect().getMaxAttempts()), reestablishAttempts,
					"a whole number of at least 1, or -1 for no limit");
		}
		DataSize maxQueuedBytes = values.get("quiesce.max-queued-bytes", (p) -> p.getQuiesce().getMaxQueuedBytes());
		if (maxQueuedBytes.toBytes() < 0) {
			throw new InvalidDualSocketPropertyException(values.propertyOf("quiesce.max-queued-bytes",
					(p) -> p.getQuiesce().getMaxQueuedBytes()), maxQueuedBytes, "a size of at least 0, for example 8MB");
		}
		return LinkSettings.builder()
			.heartbeat(interval, timeout)
			.requestTimeout(values.positive("request-timeout", LinkProperties::getRequestTimeout))
			.connectTimeout(values.positive("connect-timeout", LinkProperties::getConnectTimeout))
			.maxFrameSize((int) frameSize.toBytes())
			.duplicateCacheSize(values.atLeast("duplicate-cache-size", LinkProperties::getDuplicateCacheSize, 1))
			.duplicateCacheBytes(duplicateCacheBytes.toBytes())
			.maxRequestsInFlight(values.atLeast("max-requests-in-flight", LinkProperties::getMaxRequestsInFlight, 1))
			.requestWhileDisconnected(values.get("request-while-disconnected", LinkProperties::getRequestWhileDisconnected))
			.reconnect(maxAttempts, initialBackoff, multiplier, maxBackoff)
			.jitter(values.get("reconnect.jitter", (p) -> p.getReconnect().getJitter()))
			.afterDisconnect(values.get("reconnect.after-disconnect.enabled", (p) -> p.getReconnect().getAfterDisconnect().getEnabled()),
					values.positive("reconnect.after-disconnect.interval", (p) -> p.getReconnect().getAfterDisconnect().getInterval()),
					reestablishAttempts)
			.recovery(values.positive("recovery.probe-timeout", (p) -> p.getRecovery().getProbeTimeout()),
					values.positive("recovery.wait-timeout", (p) -> p.getRecovery().getWaitTimeout()),
					values.positive("recovery.timeout", (p) -> p.getRecovery().getTimeout()))
			.quiesce(values.atLeast("quiesce.max-queued", (p) -> p.getQuiesce().getMaxQueued(), 0),
					maxQueuedBytes.toBytes(), values.get("quiesce.own-requests", (p) -> p.getQuiesce().getOwnRequests()))
			.diagnosis(values.get("diagnosis.enabled", (p) -> p.getDiagnosis().getEnabled()),
					values.positive("diagnosis.step-timeout", (p) -> p.getDiagnosis().getStepTimeout()))
			.build();
	}

	/**
	 * Reads a value from the endpoint, or from the defaults when the endpoint leaves it unset, remembering where it
	 * came from so that an error names the property the user actually wrote.
	 */
	private final class Values {

		private final String name;

		private final Endpoint endpoint;

		Values(String name, Endpoint endpoint) {
			this.name = name;
			this.endpoint = endpoint;
		}

		String endpointProperty(String property) {
			return PREFIX + "endpoints." + this.name + "." + property;
		}

		/**
		 * Fails unless a protocol's binding and the library it is built on are on the class path.
		 */
		void requireBinding(String protocol, String bindingClass, String artifact, String libraryClass,
				String library) {
			ClassLoader loader = EndpointSettingsMapper.class.getClassLoader();
			if (!ClassUtils.isPresent(bindingClass, loader) || !ClassUtils.isPresent(libraryClass, loader)) {
				throw new InvalidDualSocketPropertyException(endpointProperty("protocol"), protocol,
						"dual-socket, or " + protocol + " with dev.dualsocket:" + artifact + " and " + library
								+ " on the class path (add the dependency " + artifact + ")");
			}
		}

		<T> T required(String property, @Nullable T value, String allowed) {
			if (value == null) {
				throw new InvalidDualSocketPropertyException(endpointProperty(property), null, allowed);
			}
			return value;
		}

		<T> String propertyOf(String property, Function<LinkProperties, @Nullable T> getter) {
			return (getter.apply(this.endpoint) != null) ? endpointProperty(property) : PREFIX + "defaults." + property;
		}

		<T> T get(String property, Function<LinkProperties, @Nullable T> getter) {
			T value = getter.apply(this.endpoint);
			if (value == null) {
				value = getter.apply(EndpointSettingsMapper.this.defaults);
			}
			if (value == null) {
				throw new InvalidDualSocketPropertyException(PREFIX + "defaults." + property, null, "a value");
			}
			return value;
		}

		Duration positive(String property, Function<LinkProperties, @Nullable Duration> getter) {
			Duration value = get(property, getter);
			if (value.isNegative() || value.isZero()) {
				throw new InvalidDualSocketPropertyException(propertyOf(property, getter), value,
						"a positive duration, for example 500ms or 5s");
			}
			return value;
		}

		int atLeast(String property, Function<LinkProperties, @Nullable Integer> getter, int minimum) {
			int value = get(property, getter);
			if (value < minimum) {
				throw new InvalidDualSocketPropertyException(propertyOf(property, getter), value,
						"a whole number of at least " + minimum);
			}
			return value;
		}

	}

}

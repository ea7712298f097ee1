package dev.dualsocket.transport;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The names a certificate gives its subject: the common names of its subject, and its DNS and URI subject
 * alternative names.
 */
final class CertificateNames {

	private static final int DNS_NAME = 2;

	private static final int URI = 6;

	private CertificateNames() {
	}

	static List<String> of(X509Certificate certificate) {
		List<String> names = new ArrayList<>();
		try {
			for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
				if ("CN".equalsIgnoreCase(rdn.getType())) {
					names.add(String.valueOf(rdn.getValue()));
				}
			}
		}
		catch (InvalidNameException ex) {
			// no usable subject: only the alternative names count
		}
		try {
			Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
			if (alternatives != null) {
				for (List<?> alternative : alternatives) {
					if (alternative.size() == 2 && alternative.get(0) instanceof Integer type
							&& (type == DNS_NAME || type == URI)) {
						names.add(String.valueOf(alternative.get(1)));
					}
				}
			}
		}
		catch (CertificateParsingException ex) {
			// no usable alternative names
		}
		return names;
	}

}

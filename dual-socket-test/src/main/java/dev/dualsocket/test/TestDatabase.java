package dev.dualsocket.test;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL that tests needing a database run against (the active/standby tests of the auto-configuration, the
 * shared store of served requests), given by the environment variables {@code TEST_POSTGRES_URL} (a JDBC
 * URL), {@code TEST_POSTGRES_USER} and {@code TEST_POSTGRES_PASSWORD}. {@code .ci/run} installs
 * PostgreSQL from Debian's packages, starts it and sets them; where they are not set, a test that needs the database
 * is skipped and says why. (Not {@code DUALSOCKET_*}: Spring Boot would read those as {@code dual-socket.*} properties.)
 *
 * @param url the JDBC URL
 * @param user the user
 * @param password the password
 */
public record TestDatabase(String url, String user, String password) {

	/** The variable with the JDBC URL. */
	public static final String URL_VARIABLE = "TEST_POSTGRES_URL";

	/**
	 * The database, or the calling test skipped with the reason.
	 * @return the database
	 */
	public static TestDatabase require() {
		String url = System.getenv(URL_VARIABLE);
		Assumptions.assumeTrue(url != null && !url.isBlank(), "no PostgreSQL: " + URL_VARIABLE + " is not set "
				+ "(.ci/run installs PostgreSQL from Debian's packages, starts it and sets it)");
		return new TestDatabase(url, System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres"),
				System.getenv().getOrDefault("TEST_POSTGRES_PASSWORD", ""));
	}

}

package dev.dualsocket.autoconfigure.ha;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.listener.DualSocketListener;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One instance of a service with an HA endpoint {@code exchange}, in a JVM of its own, for the tests that kill and
 * pause instances. Arguments: {@code client|server port linkId roleName jdbcUrl user password secret}. Its listener
 * records every request it runs in the table {@code HA_RUNS} and answers {@code <pid>:<payload>}. It prints
 * {@code @@ready} once started, {@code @@leader} and {@code @@revoked} as leadership comes and goes, and
 * {@code @@state <state>} for every state change of its link; the rest of its output is the application's log.
 */
public final class HaTestInstance {

	static final String PID = String.valueOf(ProcessHandle.current().pid());

	private HaTestInstance() {
	}

	public static void main(String[] args) throws Exception {
		String role = args[0];
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.datasource.url", args[4]);
		properties.put("spring.datasource.username", args[5]);
		properties.put("spring.datasource.password", args[6]);
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.dev.dualsocket", "INFO");
		String endpoint = "dual-socket.endpoints.exchange.";
		properties.put(endpoint + "role", role);
		properties.put(endpoint + "host", "127.0.0.1");
		properties.put(endpoint + "port", args[1]);
		if (role.equals("client")) {
			properties.put(endpoint + "link-id", args[2]);
		}
		properties.put(endpoint + "auth.secret", args[7]);
		properties.put(endpoint + "heartbeat.interval", "200ms");
		properties.put(endpoint + "heartbeat.timeout", "600ms");
		properties.put(endpoint + "ha.enabled", "true");
		properties.put(endpoint + "ha.role", args[3]);
		properties.put(endpoint + "ha.lock-ttl", "2s");
		properties.put(endpoint + "ha.heart-beat", "200ms");
		if (role.equals("server")) {
			properties.put(endpoint + "ha.shared-store", "true");
		}
		SpringApplication application = new SpringApplication(Instance.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(properties);
		try (ConfigurableApplicationContext context = application.run()) {
			System.out.println("@@ready");
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			while (in.readLine() != null) {
				// until the test closes standard input, or kills this JVM
			}
		}
	}

	/**
	 * The instance's application: the auto-configuration and the recording listener. Not a {@code @Configuration}, so
	 * that the other tests' component scans do not pick it up; it is the application's primary source.
	 */
	@EnableAutoConfiguration
	static class Instance {

		@Bean
		Recorder recorder(DataSource dataSource) {
			return new Recorder(new JdbcTemplate(dataSource));
		}

		@Bean
		ApplicationListener<ApplicationEvent> reporter() {
			return (event) -> {
				Object what = (event instanceof PayloadApplicationEvent<?> payload) ? payload.getPayload() : event;
				String type = what.getClass().getSimpleName();
				if (type.equals("LeadershipGrantedEvent")) {
					System.out.println("@@leader");
				}
				else if (type.equals("LeadershipRevokedEvent")) {
					System.out.println("@@revoked");
				}
				else if (what instanceof LinkStateChangedEvent change) {
					System.out.println("@@state " + change.getTo());
				}
			};
		}

	}

	/** Runs every request by writing it down in the shared database. */
	static class Recorder {

		private final JdbcTemplate jdbc;

		Recorder(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@DualSocketListener("exchange")
		String run(String payload) {
			this.jdbc.update("INSERT INTO HA_RUNS (PAYLOAD, PID) VALUES (?, ?)", payload, PID);
			return PID + ":" + payload;
		}

	}

}

package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dualsocket.autoconfigure.DualSocketPropertyKeys.Key;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata that IDEs complete from (target/classes/META-INF/spring-configuration-metadata.json, the
 * processor's output merged with additional-spring-configuration-metadata.json) describes every key that binds, each
 * endpoint's keys under {@code dual-socket.endpoints.<name>.} included, with the defaults the properties classes have.
 */
class ConfigurationMetadataTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static Map<String, JsonNode> properties;

	@BeforeAll
	static void readMetadata() throws IOException {
		properties = read(METADATA);
	}

	static Map<String, JsonNode> read(Path metadata) throws IOException {
		Map<String, JsonNode> byName = new LinkedHashMap<>();
		for (JsonNode property : JsonMapper.builder().build().readTree(Files.readString(metadata)).get("properties")) {
			byName.put(property.get("name").asString(), property);
		}
		return byName;
	}

	@Test
	void everyKeyHasAnEntryWithItsTypeAndADescription() {
		for (Key key : DualSocketPropertyKeys.all()) {
			JsonNode property = properties.get(DualSocketPropertyKeys.PREFIX + "." + key.name());
			assertThat(property).as("metadata of %s", key.name()).isNotNull();
			assertThat(property.path("description").asString("")).as("description of %s", key.name()).isNotBlank();
			assertThat(property.path("type").asString("")).as("type of %s", key.name()).isEqualTo(typeName(key));
		}
	}

	@Test
	void eachEndpointKeyIsThere() {
		assertThat(properties.keySet()).contains("dual-socket.endpoints.<name>.port", "dual-socket.endpoints.<name>.role",
				"dual-socket.endpoints.<name>.host", "dual-socket.endpoints.<name>.link-id",
				"dual-socket.endpoints.<name>.standby", "dual-socket.endpoints.<name>.ssl.bundle",
				"dual-socket.endpoints.<name>.auth.secret", "dual-socket.endpoints.<name>.failback.stable-for",
				"dual-socket.endpoints.<name>.max-links", "dual-socket.endpoints.<name>.heartbeat.interval",
				"dual-socket.endpoints.<name>.request-timeout", "dual-socket.endpoints.<name>.quiesce.own-requests",
				"dual-socket.endpoints.<name>.diagnosis.step-timeout");
	}

	@Test
	void noEntryDescribesAKeyThatDoesNotBind() {
		List<String> keys = DualSocketPropertyKeys.all()
			.stream()
			.map((key) -> DualSocketPropertyKeys.PREFIX + "." + key.name())
			.toList();
		assertThat(properties.keySet().stream().filter((name) -> name.startsWith(DualSocketPropertyKeys.PREFIX + ".")))
			.allMatch((name) -> keys.contains(name) || name.equals("dual-socket.endpoints"), "binds");
	}

	@Test
	void everyDefaultIsThePropertiesClassesDefault() {
		for (Key key : DualSocketPropertyKeys.all()) {
			JsonNode defaultValue = properties.get(DualSocketPropertyKeys.PREFIX + "." + key.name()).get("defaultValue");
			Object expected = KnownDefaults.of(key);
			if (expected == null) {
				assertThat(defaultValue).as("default of %s", key.name()).isNull();
			}
			else {
				assertThat(defaultValue).as("default of %s", key.name()).isNotNull();
				assertThat(KnownDefaults.parse(key, defaultValue.asString())).as("default of %s", key.name())
					.isEqualTo(expected);
			}
		}
	}

	@Test
	void anEndpointsOverrideSaysWhatItInheritsAndDescribesItAsTheDefaultDoes() {
		for (Key key : DualSocketPropertyKeys.all()) {
			if (key.overrides() != null) {
				String inherited = DualSocketPropertyKeys.PREFIX + "." + key.overrides();
				String description = properties.get(DualSocketPropertyKeys.PREFIX + "." + key.name())
					.get("description")
					.asString();
				assertThat(description).as("description of %s", key.name())
					.startsWith(properties.get(inherited).get("description").asString())
					.endsWith("Unset: the value of " + inherited + ".");
			}
		}
	}

	private static String typeName(Key key) {
		Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(key.type().toClass());
		return key.type().hasGenerics() ? key.type().toString() : type.getName();
	}

}

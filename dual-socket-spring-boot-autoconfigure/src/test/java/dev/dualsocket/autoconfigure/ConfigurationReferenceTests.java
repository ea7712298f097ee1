package dev.dualsocket.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dualsocket.autoconfigure.DualSocketPropertyKeys.Key;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's "Configuration reference" lists every key that binds, with the default the properties classes (and so
 * the engine) have and the configuration metadata shows. An endpoint's overrides of the defaults are covered by the
 * sentence above the tables, not by rows of their own.
 */
class ConfigurationReferenceTests {

	private static final Path README = Path.of("../README.md");

	private static final Pattern TABLE = Pattern.compile("^\\| Property \\(under `dual-socket\\.([^`]+)`\\) \\|");

	private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]*) \\|");

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	/** Each documented key, relative to {@code dual-socket.}, with its default cell. */
	private static Map<String, String> rows;

	private static Map<String, JsonNode> metadata;

	@BeforeAll
	static void read() throws IOException {
		String readme = Files.readString(README);
		int start = readme.indexOf("\n## Configuration reference");
		assertThat(start).as("the README's Configuration reference").isPositive();
		int end = readme.indexOf("\n## ", start + 1);
		rows = new LinkedHashMap<>();
		String prefix = null;
		for (String line : readme.substring(start, (end > 0) ? end : readme.length()).split("\n")) {
			Matcher table = TABLE.matcher(line);
			Matcher row = ROW.matcher(line);
			if (table.find()) {
				prefix = table.group(1);
			}
			else if (prefix != null && row.find()) {
				assertThat(rows.put(prefix + row.group(1), row.group(2).trim())).as("second row for %s", row.group(1))
					.isNull();
			}
			else if (!line.startsWith("|")) {
				prefix = null;
			}
		}
		metadata = ConfigurationMetadataTests
			.read(Path.of("target/classes/META-INF/spring-configuration-metadata.json"));
	}

	@Test
	void everyKeyThatBindsHasARowAndEveryRowAKeyThatBinds() {
		List<String> keys = DualSocketPropertyKeys.all()
			.stream()
			.filter((key) -> key.overrides() == null)
			.map(Key::name)
			.toList();
		assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(keys);
	}

	@Test
	void everyDefaultIsThePropertiesClassesDefaultAndTheMetadatas() {
		for (Key key : DualSocketPropertyKeys.all()) {
			String cell = rows.get(key.name());
			if (cell == null) {
				continue;
			}
			Object expected = KnownDefaults.of(key);
			Matcher code = CODE.matcher(cell);
			boolean single = code.matches();
			JsonNode inMetadata = metadata.get(DualSocketPropertyKeys.PREFIX + "." + key.name()).get("defaultValue");
			if (expected == null) {
				assertThat(single).as("README default of %s, which has none: %s", key.name(), cell).isFalse();
			}
			else {
				assertThat(single).as("README default of %s is one value: %s", key.name(), cell).isTrue();
				assertThat(KnownDefaults.parse(key, code.group(1))).as("README default of %s", key.name())
					.isEqualTo(expected)
					.isEqualTo(KnownDefaults.parse(key, inMetadata.asString()));
			}
		}
	}

}

package io.persistentdict.cli;

import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finds one dict's row in a command's JSON.
 */
final class JsonCheck {

	private JsonCheck() {
	}

	static void dict(JsonNode json, String name, Consumer<JsonNode> check) {
		JsonNode found = null;
		for (JsonNode dict : json.get("dicts")) {
			if (dict.get("dict").asString().equals(name)) {
				found = dict;
			}
		}
		assertThat(found).as(name + " in " + json).isNotNull();
		check.accept(found);
	}

}

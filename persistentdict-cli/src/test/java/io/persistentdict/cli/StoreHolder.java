package io.persistentdict.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.persistentdict.DictSpec;
import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;

/**
 * An application in a child JVM that holds a store open: it writes {@code live=1}, prints
 * {@code ready}, then answers {@code get KEY} lines from standard input (through a near
 * cache, so it must notice other processes' writes) until its input closes.
 */
public final class StoreHolder {

	private StoreHolder() {
	}

	public static void main(String[] args) throws Exception {
		try (DictStore store = DictStore.open(Path.of(args[0]))) {
			PersistentDict<String, String> users = store
				.dict(DictSpec.of("users", String.class, String.class).withNearCache(100));
			users.put("live", "1");
			System.out.println("ready");
			System.out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			String line;
			while ((line = in.readLine()) != null) {
				if (line.startsWith("get ")) {
					System.out.println(users.get(line.substring(4)));
					System.out.flush();
				}
			}
		}
	}

}

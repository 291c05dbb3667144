package io.persistentdict.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.persistentdict.DictStore;
import io.persistentdict.PersistentDict;
import io.persistentdict.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool beside a running application: a store held open by the test's own JVM, and by
 * a child JVM, is readable (and writable with --write), and the application sees what the
 * tool wrote.
 */
class LiveStoreIT {

	@TempDir
	Path dir;

	@Test
	void aStoreHeldOpenByThisJvmShouldBeReadableAndWritable() {
		Path file = Stores.make(this.dir);
		try (DictStore app = DictStore.open(file)) {
			PersistentDict<String, String> users = app.dict("users", String.class, String.class);
			users.put("u5", "eve");
			Result get = Cli.run(file, "get", "users", "u5");
			assertThat(get.exit()).as(get.toString()).isZero();
			assertThat(get.out()).contains("eve");
			assertThat(Cli.run(file, "dicts").exit()).isZero();
			Result put = Cli.run("--write", file, "put", "users", "u6", "frank");
			assertThat(put.exit()).as(put.toString()).isZero();
			assertThat(users.get("u6")).isEqualTo("frank");
			users.put("u7", "grace");
			assertThat(Cli.run(file, "keys", "users").lines()).contains("u5", "u6", "u7");
		}
	}

	@Test
	void aStoreHeldOpenByAnotherProcessShouldBeReadableAndItsNearCacheSeeTheToolsWrites() throws Exception {
		Path file = Stores.make(this.dir);
		Process holder = new ProcessBuilder(List.of(Cli.java().toString(), "-cp", System.getProperty("java.class.path"),
				StoreHolder.class.getName(), file.toString()))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter in = new PrintWriter(holder.getOutputStream(), true, StandardCharsets.UTF_8)) {
			assertThat(out.readLine()).isEqualTo("ready");
			Result get = Cli.run("--json", file, "get", "users", "live");
			assertThat(get.exit()).as(get.toString()).isZero();
			assertThat(get.json().get("value").asString()).isEqualTo("1");
			in.println("get u1");
			assertThat(out.readLine()).isEqualTo("alice");
			Result put = Cli.run("--write", file, "put", "users", "u1", "changed");
			assertThat(put.exit()).as(put.toString()).isZero();
			assertThat(Cli.run(file, "check").exit()).isZero();
			in.println("get u1");
			assertThat(out.readLine()).isEqualTo("changed");
		}
		finally {
			holder.getOutputStream().close();
			if (!holder.waitFor(30, TimeUnit.SECONDS)) {
				holder.destroyForcibly();
			}
		}
		assertThat(holder.exitValue()).isZero();
	}

}

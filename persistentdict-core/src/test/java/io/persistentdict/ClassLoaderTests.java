package io.persistentdict;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Values whose class is loaded by a class loader below the library's (a plugin loader, an
 * app server, {@code java Program.java}) read back through the dict's value type's class
 * loader.
 */
class ClassLoaderTests {

	@TempDir
	Path dir;

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void aValueClassOfAChildClassLoaderShouldReadBack() throws Exception {
		try (URLClassLoader plugin = pluginLoader()) {
			Class<?> order = plugin.loadClass("plugin.Order");
			// the library's own class loader cannot see it
			assertThat(order.getClassLoader()).isSameAs(plugin);
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("plugin.Order", false, DictStore.class.getClassLoader()));
			Constructor<?> create = order.getConstructor(String.class);
			try (DictStore store = DictStore.open(this.dir.resolve("plugin.db"),
					StoreOptions.builder().allowedTypes(List.of("plugin.*")).build())) {
				PersistentDict orders = store.dict(DictSpec.of("orders", String.class, order));
				orders.put("o1", create.newInstance("o1"));
				Object read = orders.get("o1");
				assertThat(read).isInstanceOf(order).hasToString("Order[o1]");
			}
		}
	}

	private URLClassLoader pluginLoader() throws IOException {
		Path sources = Files.createDirectories(this.dir.resolve("src/plugin"));
		Path classes = Files.createDirectories(this.dir.resolve("classes"));
		Path source = sources.resolve("Order.java");
		Files.writeString(source,
				"package plugin; public class Order implements java.io.Serializable {"
						+ " private static final long serialVersionUID = 1L; private final String id;"
						+ " public Order(String id) { this.id = id; }"
						+ " @Override public String toString() { return \"Order[\" + id + \"]\"; } }");
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler.run(null, null, null, "-d", classes.toString(), source.toString())).isZero();
		return new URLClassLoader(new URL[] { classes.toUri().toURL() }, DictStore.class.getClassLoader());
	}

}

package dev.heartbeat.core.docs;

import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's "Embedding the core" example, taken from README.md itself, compiled against the core and
 * run: the example cannot rot without this test failing.
 */
class ReadmeExampleTest {

    static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: EmbeddingExample -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theEmbeddingExampleCompilesRunsAndAccountsForEveryReading() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher matcher = EXAMPLE.matcher(readme);
        assertTrue(matcher.find(), "README.md has no block marked <!-- example: EmbeddingExample -->");
        Path dir = Files.createTempDirectory("readme-example");
        Path source = dir.resolve("EmbeddingExample.java");
        Files.writeString(source, matcher.group(1));

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = compiler.run(null, null, diagnostics, "--release", "21", "-classpath",
                Path.of("target", "classes").toString(), "-d", dir.toString(), source.toString());
        assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL(),
                Path.of("target", "classes").toUri().toURL()}, null)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass("EmbeddingExample").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        for (int customer = 1; customer <= 5; customer++) {
            assertTrue(output.contains("cust-0000" + customer), output);
        }
        assertTrue(output.contains("bpm"), output);
        assertTrue(output.contains("messages 50 = stored 50 + rejected 0 + duplicates 0"), output);
    }
}

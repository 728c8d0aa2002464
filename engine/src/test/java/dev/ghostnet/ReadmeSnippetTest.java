package dev.ghostnet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java samples compile against the library and run (on the seeded model, as written): the
 * single-session sample and the one sharing a model between 8 threads.
 */
class ReadmeSnippetTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+class\\s+(\\w+)");

    @Test
    void javaSamplesCompileAndRun(@TempDir Path work) throws Exception {
        Path readme = TestInputs.chelsea().getParent().resolveSibling("README.md");
        Matcher block = JAVA_BLOCK.matcher(Files.readString(readme));
        Map<String, List<String>> printed = new LinkedHashMap<>();
        while (block.find()) {
            String source = block.group(1);
            Matcher className = PUBLIC_CLASS.matcher(source);
            assertTrue(className.find(), "a README sample declares a public class");
            Path dir = Files.createDirectories(work.resolve(className.group(1)));
            Path file = Files.writeString(dir.resolve(className.group(1) + ".java"), source);
            compile(file, dir);
            printed.put(className.group(1), run(dir, className.group(1)));
        }
        assertEquals(List.of("ClassifyExample", "SharedModelExample"), List.copyOf(printed.keySet()),
                "the README's Java samples");
        List<String> lines = printed.get("ClassifyExample");
        assertEquals(6, lines.size(), "five predictions and the batch line:\n" + lines);
        assertTrue(lines.getLast().startsWith("2 images, best: "), lines.getLast());
        assertEquals(List.of("8 threads sharing one model: bit-identical to one thread"),
                printed.get("SharedModelExample"));
    }

    private static List<String> run(Path classes, String className) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeSnippetTest.class.getClassLoader())) {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {TestInputs.chelsea().toString()});
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Compiles against the test class path (surefire puts it in a property when it hides it behind a jar). */
    private static void compile(Path file, Path output) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", classPath, "-d", output.toString(), "-Xlint:all", "-Werror"), null,
                    files.getJavaFileObjects(file.toFile())).call();
            StringBuilder report = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                report.append(d.getKind()).append(" at README sample line ").append(d.getLineNumber()).append(": ")
                        .append(d.getMessage(null)).append(System.lineSeparator());
            }
            assertTrue(ok, "the README's Java sample does not compile:\n" + report);
        }
    }
}

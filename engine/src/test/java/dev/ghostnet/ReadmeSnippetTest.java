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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java sample compiles against the library and runs (on the seeded model, as written). */
class ReadmeSnippetTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+class\\s+(\\w+)");

    @Test
    void javaSampleCompilesAndRuns(@TempDir Path work) throws Exception {
        Path readme = TestInputs.chelsea().getParent().resolveSibling("README.md");
        Matcher block = JAVA_BLOCK.matcher(Files.readString(readme));
        assertTrue(block.find(), "README.md has a ```java block");
        String source = block.group(1);
        Matcher className = PUBLIC_CLASS.matcher(source);
        assertTrue(className.find(), "the sample declares a public class");
        Path file = Files.writeString(work.resolve(className.group(1) + ".java"), source);

        compile(file, work);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(className.group(1)).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {TestInputs.chelsea().toString()});
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(6, lines.size(), "five predictions and the batch line:\n" + printed);
        assertTrue(lines.getLast().startsWith("2 images, best: "), lines.getLast());
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

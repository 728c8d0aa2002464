package dev.ghostnet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's public surface: the module exports {@code dev.ghostnet} alone (the internal packages only
 * to the project's tools), public signatures there name no internal type, and its Javadoc passes
 * {@code -Xdoclint:all} without a warning.
 */
class PublicApiTest {
    private static final Path SOURCES = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");

    @Test
    void theModuleExportsTheApiAndQualifiesTheRest() throws Exception {
        Path classes = Path.of(GhostNet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        assertEquals("dev.ghostnet", module.name());
        Map<String, Set<String>> exports = new TreeMap<>();
        for (ModuleDescriptor.Exports e : module.exports()) {
            exports.put(e.source(), e.isQualified() ? new TreeSet<>(e.targets()) : Set.of("*"));
        }
        assertEquals(Map.of(
                "dev.ghostnet", Set.of("*"),
                "dev.ghostnet.engine.io", Set.of("dev.ghostnet.bench", "dev.ghostnet.cli", "dev.ghostnet.verify"),
                "dev.ghostnet.engine.model", Set.of("dev.ghostnet.bench", "dev.ghostnet.verify"),
                "dev.ghostnet.engine.runtime", Set.of("dev.ghostnet.bench", "dev.ghostnet.verify")), exports);
        Set<String> requires = module.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("dev.ghostnet.kernels", "java.desktop", "java.management"), requires,
                "the only runtime dependency is kernels (besides JDK modules)");
    }

    @Test
    void publicSignaturesNameNoInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            members.addAll(List.of(type.getDeclaredMethods()));
            for (Executable m : members) {
                if (!isVisible(m.getModifiers()) || m.isSynthetic()) continue;
                List<Type> used = new ArrayList<>(List.of(m.getGenericParameterTypes()));
                used.addAll(List.of(m.getGenericExceptionTypes()));
                if (m instanceof Method method) used.add(method.getGenericReturnType());
                for (Type t : used) check(t, type.getSimpleName() + "." + m.getName(), leaks);
            }
            if (type.isRecord()) {
                for (RecordComponent c : type.getRecordComponents()) check(c.getGenericType(), type.getSimpleName(), leaks);
            }
            if (type.getSuperclass() != null) check(type.getGenericSuperclass(), type.getSimpleName(), leaks);
        }
        assertTrue(leaks.isEmpty(), "internal types in the public API: " + leaks);
    }

    @Test
    void theApiJavadocPassesEveryDoclintCheck(@TempDir Path out) throws IOException {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        assertNotNull(javadoc, "tests need a JDK");
        List<Path> files;
        try (Stream<Path> list = Files.list(SOURCES.resolve("dev/ghostnet"))) {
            files = list.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javadoc.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Boolean ok = javadoc.getTask(null, fm, diagnostics, null,
                    List.of("-Xdoclint:all", "-quiet", "-classpath", classPath, "-d", out.toString()),
                    fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> problems = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.ERROR
                            || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                    .map(d -> d.getSource() == null ? d.getMessage(null)
                            : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                    .toList();
            assertTrue(ok && problems.isEmpty(), "javadoc -Xdoclint:all on dev.ghostnet:\n" + String.join("\n", problems));
        }
    }

    private static List<Class<?>> apiTypes() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> list = Files.list(SOURCES.resolve("dev/ghostnet"))) {
            for (Path p : list.filter(f -> f.toString().endsWith(".java")).toList()) {
                Class<?> c = Class.forName("dev.ghostnet." + p.getFileName().toString().replace(".java", ""));
                if (Modifier.isPublic(c.getModifiers())) {
                    types.add(c);
                    for (Class<?> nested : c.getDeclaredClasses()) {
                        if (Modifier.isPublic(nested.getModifiers())) types.add(nested);
                    }
                }
            }
        }
        assertTrue(types.size() > 10, "found the API classes: " + types);
        return types;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(Type t, String where, List<String> leaks) {
        switch (t) {
            case Class<?> c -> {
                Class<?> base = c;
                while (base.isArray()) base = base.getComponentType();
                String name = base.getName();
                boolean allowed = base.isPrimitive() || name.startsWith("java.") || name.startsWith("javax.")
                        || base.getPackageName().equals("dev.ghostnet");
                if (!allowed) leaks.add(where + " uses " + name);
            }
            case ParameterizedType p -> {
                check(p.getRawType(), where, leaks);
                for (Type a : p.getActualTypeArguments()) check(a, where, leaks);
            }
            case GenericArrayType g -> check(g.getGenericComponentType(), where, leaks);
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) check(b, where, leaks);
                for (Type b : w.getLowerBounds()) check(b, where, leaks);
            }
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) check(b, where, leaks);
            }
            default -> leaks.add(where + " uses an unknown kind of type " + t);
        }
    }
}

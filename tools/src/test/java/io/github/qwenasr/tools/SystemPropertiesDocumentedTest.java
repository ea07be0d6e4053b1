package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code qwenasr.*} system property that code, scripts, builds or documents use is in the
 * switches table of docs/kernels.md 6 (a row starting with the property's name), and every row there
 * is still used: no undocumented switch, no documented one that does nothing.
 */
class SystemPropertiesDocumentedTest {
    /** As a string literal, a -D option, or a Maven systemPropertyVariables element. */
    private static final Pattern USE = Pattern.compile(
            "\"(qwenasr\\.[A-Za-z0-9_.]*[A-Za-z0-9_])\"|-D(qwenasr\\.[A-Za-z0-9_.]*[A-Za-z0-9_])|<(qwenasr\\.[A-Za-z0-9_.]*[A-Za-z0-9_])>");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(qwenasr\\.[A-Za-z0-9_.]*[A-Za-z0-9_])[=`]", Pattern.MULTILINE);
    /** Names of that form that are not system properties. */
    private static final Map<String, String> NOT_PROPERTIES = Map.of(
            "qwenasr.version", "the Maven property holding the project's version (pom.xml)",
            "qwenasr.errorWritten", "a request attribute of the server (AsrServer)");
    private static final Set<String> SCANNED = Set.of("java", "xml", "md", "sh", "py", "txt");

    @Test
    void everyPropertyIsInTheSwitchesTableAndEveryRowIsUsed() {
        Path root = RepositorySources.root();
        Map<String, String> used = new TreeMap<>();       // anywhere, with the first file
        Set<String> usedByCode = new TreeSet<>();          // outside the Markdown documents
        for (Path file : RepositorySources.files(root, rel -> rel.startsWith("bin") || SCANNED.contains(extension(rel)))) {
            Matcher m = USE.matcher(RepositorySources.read(file));
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                if (NOT_PROPERTIES.containsKey(name)) continue;
                used.putIfAbsent(name, root.relativize(file).toString());
                if (!extension(file).equals("md")) usedByCode.add(name);
            }
        }
        assertTrue(usedByCode.contains("qwenasr.vector.bits"), "the scan found no use of qwenasr.vector.bits; is it broken?");
        Set<String> documented = new TreeSet<>();
        Matcher rows = ROW.matcher(RepositorySources.read(root.resolve("docs/kernels.md")));
        while (rows.find()) documented.add(rows.group(1));
        Set<String> undocumented = new TreeSet<>(used.keySet());
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "used (first file using each: " + used + ") but not in docs/kernels.md 6's switches table");
        Set<String> unused = new TreeSet<>(documented);
        unused.removeAll(usedByCode);
        assertEquals(Set.of(), unused, "rows of docs/kernels.md 6's switches table that no code, script or build uses");
    }

    private static String extension(Path rel) {
        String name = rel.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }
}

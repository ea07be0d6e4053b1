package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every section the sources, scripts and documents cite as "docs/model.md 5.6" (or modes.md,
 * kernels.md) exists in that document, so a reader of the repository can follow each reference.
 * A dotted number resolves to a heading with that number, or to item K of the numbered list under
 * heading N.N for "N.N.K" (e.g. modes.md 12.1.9). Also: links between the documents point to
 * existing headings, no document names a machine path, and nothing cites the old spec files.
 */
class DocCitationsTest {
    private static final Set<String> DOCS = Set.of("model", "modes", "kernels");
    private static final Set<String> SCANNED = Set.of("java", "py", "sh", "md", "txt", "c", "xml");
    private static final String NUMBER = "\\d+(?:\\.\\d+)*[a-z]?";
    /** A document name, then a list such as "1.3, 2.4 and 6.2-6.9" (a "§" before a number allowed). */
    private static final Pattern CITATION = Pattern.compile("(?<![\\w.-])(?:docs/)?(model|modes|kernels)\\.md"
            + "[ \\t]+§?(" + NUMBER + "(?:[ \\t]*(?:,|;|/|-|–|and|or)[ \\t]*§?" + NUMBER + ")*)");
    private static final Pattern NUMBER_IN_LIST = Pattern.compile(NUMBER);
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
    private static final Pattern HEADING_NUMBER = Pattern.compile("^(" + NUMBER + ")\\.?(?:\\s|$)");
    private static final Pattern LIST_ITEM = Pattern.compile("^(\\d+)\\.\\s");
    private static final Pattern LINK = Pattern.compile("\\]\\(((?:\\.\\./)?[\\w./-]*)(?:#([^)\\s]+))?\\)");
    private static final Pattern OLD_SPEC = Pattern.compile("\\b(?:MODEL|MODES|KERNELS|ARCHITECTURE)\\.md\\b");
    private static final Pattern MACHINE_PATH = Pattern.compile("\\.\\./shared|/work/|/tmp/|/home/|/Users/|[A-Z]:\\\\");

    @Test
    void everyCitedSectionHasAHeading() throws IOException {
        Path root = repositoryRoot();
        Map<String, Doc> docs = loadDocs(root);
        List<String> problems = new ArrayList<>();
        int citations = 0;
        for (Path file : scannedFiles(root)) {
            String text = read(file);
            if (text == null) continue;
            Matcher m = CITATION.matcher(text);
            while (m.find()) {
                Doc doc = docs.get(m.group(1));
                Matcher n = NUMBER_IN_LIST.matcher(m.group(2));
                while (n.find()) {
                    citations++;
                    if (!doc.resolves(n.group())) {
                        problems.add(root.relativize(file) + ":" + lineOf(text, m.start()) + ": " + m.group(1) + ".md "
                                + n.group() + " has no heading (nor list item) in docs/" + m.group(1) + ".md");
                    }
                }
            }
        }
        assertEquals(List.of(), problems, "citations that point nowhere");
        // The sources cite the documents a few hundred times; far fewer means the pattern stopped matching.
        assertTrue(citations > 250, "only " + citations + " citations found; is the scan broken?");
    }

    @Test
    void nothingCitesTheOldSpecFiles() throws IOException {
        Path root = repositoryRoot();
        List<String> problems = new ArrayList<>();
        for (Path file : scannedFiles(root)) {
            if (file.endsWith("DocCitationsTest.java")) continue;
            String text = read(file);
            if (text == null) continue;
            Matcher m = OLD_SPEC.matcher(text);
            while (m.find()) problems.add(root.relativize(file) + ":" + lineOf(text, m.start()) + ": " + m.group());
        }
        assertEquals(List.of(), problems, "references to spec files outside the repository; cite docs/*.md instead");
    }

    @Test
    void documentsLinkToExistingHeadingsAndNameNoMachinePaths() throws IOException {
        Path root = repositoryRoot();
        Map<String, Doc> docs = loadDocs(root);
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher path = MACHINE_PATH.matcher(text);
                while (path.find()) problems.add(file.getFileName() + ":" + lineOf(text, path.start()) + ": machine path " + path.group());
                Matcher link = LINK.matcher(text);
                while (link.find()) {
                    String target = link.group(1);
                    String anchor = link.group(2);
                    Path resolved = target.isEmpty() ? file : file.getParent().resolve(target).normalize();
                    if (!target.isEmpty() && !Files.exists(resolved)) {
                        problems.add(file.getFileName() + ":" + lineOf(text, link.start()) + ": missing link target " + target);
                        continue;
                    }
                    if (anchor == null) continue;
                    String name = resolved.getFileName().toString();
                    Doc doc = resolved.getParent().equals(root.resolve("docs")) && name.endsWith(".md")
                            ? docs.get(name.substring(0, name.length() - 3)) : null;
                    if (doc == null) doc = Doc.parse(Files.readString(resolved));
                    if (!doc.anchors.contains(anchor)) {
                        problems.add(file.getFileName() + ":" + lineOf(text, link.start()) + ": no heading for #" + anchor
                                + " in " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The checker itself: numbers, list items and anchors resolve as documented, and only those. */
    @Test
    void resolvesHeadingsListItemsAndAnchors() {
        Doc doc = Doc.parse("""
                # Title
                ## 1. First part
                ### 1.2 A `flag` (with --punctuation), here
                ### 6.3a Lettered
                ## 12. Defects
                ### 12.1 Listed
                1. one
                2. two
                ### 12.2 Next
                3. three
                """);
        assertTrue(doc.resolves("1"));
        assertTrue(doc.resolves("1.2"));
        assertTrue(doc.resolves("6.3a"));
        assertTrue(doc.resolves("12.1.2"));
        assertTrue(!doc.resolves("1.3"), "no heading 1.3");
        assertTrue(!doc.resolves("12.1.3"), "item 3 belongs to 12.2, not 12.1");
        assertTrue(!doc.resolves("6.3"), "6.3a is not 6.3");
        assertTrue(doc.anchors.contains("12-a-flag-with---punctuation-here"), doc.anchors.toString());

        Matcher m = CITATION.matcher("see (docs/modes.md 4, 5; 12.1.9: no fallbacks) and docs/model.md §2.2-2.4, 3.5 steps 4");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            Matcher n = NUMBER_IN_LIST.matcher(m.group(2));
            while (n.find()) found.add(m.group(1) + " " + n.group());
        }
        assertEquals(List.of("modes 4", "modes 5", "modes 12.1.9", "model 2.2", "model 2.4", "model 3.5"), found);
    }

    /** A document's section numbers (with the numbered list items under each) and heading anchors. */
    private record Doc(Map<String, List<String>> sections, Set<String> anchors) {
        static Doc parse(String text) {
            Map<String, List<String>> sections = new TreeMap<>();
            Set<String> anchors = new java.util.HashSet<>();
            List<String> current = null;
            boolean fence = false;
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("```")) fence = !fence;
                if (fence) continue;
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    anchors.add(slug(h.group(2)));
                    Matcher n = HEADING_NUMBER.matcher(h.group(2));
                    current = new ArrayList<>();
                    if (n.find()) sections.put(n.group(1), current);
                    continue;
                }
                Matcher item = LIST_ITEM.matcher(line);
                if (current != null && item.find()) current.add(item.group(1));
            }
            return new Doc(sections, anchors);
        }

        boolean resolves(String number) {
            if (sections.containsKey(number)) return true;
            int dot = number.lastIndexOf('.');
            if (dot < 0) return false;
            List<String> items = sections.get(number.substring(0, dot));
            return items != null && items.contains(number.substring(dot + 1));
        }

        /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
        static String slug(String heading) {
            StringBuilder sb = new StringBuilder();
            heading.strip().toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
                if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') sb.appendCodePoint(cp);
                else if (cp == ' ') sb.append('-');
            });
            return sb.toString();
        }
    }

    private static Map<String, Doc> loadDocs(Path root) throws IOException {
        Map<String, Doc> docs = new TreeMap<>();
        for (String name : DOCS) {
            Path p = root.resolve("docs").resolve(name + ".md");
            assertTrue(Files.isRegularFile(p), "missing " + p);
            docs.put(name, Doc.parse(Files.readString(p)));
        }
        return docs;
    }

    /** Source, script and document files of the repository, without build output and hidden folders. */
    private static List<Path> scannedFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> {
                        Path rel = root.relativize(p);
                        for (Path part : rel) {
                            String s = part.toString();
                            if (s.equals("target") || (s.startsWith(".") && !s.equals(".ci"))) return false;
                        }
                        String name = p.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        return rel.startsWith("bin") || rel.startsWith(".ci")
                                || (dot > 0 && SCANNED.contains(name.substring(dot + 1)));
                    })
                    .sorted()
                    .toList();
        }
    }

    /** The file as UTF-8 text, or null for a file that is not text. */
    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** The repository root: the build's qwenasr.root property, else the nearest folder above with docs/ and pom.xml. */
    private static Path repositoryRoot() {
        String prop = System.getProperty("qwenasr.root");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))
                    && Files.isDirectory(p.resolve("tools"))) {
                return p;
            }
        }
        throw new AssertionError("repository root not found (set -Dqwenasr.root)");
    }
}

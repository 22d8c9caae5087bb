package io.irisx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java cannot drift from IRISX: every {@code ```java} block of README.md is, character for character, a
 * region of {@code io.irisx.examples.readme} (compiled with the examples, and run by the {@code Readme*ExamplesTest}
 * classes), and every region there is a block of the README.
 *
 * <p>A region is the text between {@code // README:begin <name>} and {@code // README:end}, with the indentation its
 * lines share removed.
 */
class ReadmeTest {

    private static final Path PROJECT = projectRoot();
    private static final Path README = PROJECT.resolve("README.md");
    private static final Path REGIONS = PROJECT.resolve("examples/src/main/java/io/irisx/examples/readme");
    private static final Path TESTS = PROJECT.resolve("examples/src/test/java/io/irisx/examples");
    private static final String BEGIN = "// README:begin ";
    private static final String END = "// README:end";
    private static final Pattern METHOD = Pattern.compile("public static \\S+ (\\w+)\\(");

    /** A {@code ```java} block of the README: the line of its fence, the section it is in, and its lines. */
    private record Block(int line, String section, List<String> lines) {
        @Override
        public String toString() {
            return "the ```java block at README.md line " + line + " (section \"" + section + "\")";
        }
    }

    /** A region of the readme package: its name, file, line, the method holding it, and its lines, dedented. */
    private record Region(String name, String file, int line, String method, List<String> lines) {
        @Override
        public String toString() {
            return "region '" + name + "' (" + file + ":" + line + ")";
        }
    }

    @Test
    void every_java_block_of_the_readme_is_a_region_and_every_region_a_block() throws IOException {
        List<Block> blocks = blocks();
        Map<String, Region> regions = regions();
        assertThat(blocks).as("the ```java blocks of %s", README).isNotEmpty();

        List<String> problems = new ArrayList<>();
        for (Block block : blocks) {
            if (regions.values().stream().noneMatch(region -> region.lines().equals(block.lines()))) {
                problems.add(block + " is in no region of " + REGIONS + closest(block, regions));
            }
        }
        for (Region region : regions.values()) {
            if (blocks.stream().noneMatch(block -> block.lines().equals(region.lines()))) {
                problems.add(region + " is no ```java block of README.md: change the README's block or delete the region");
            }
        }
        assertThat(problems).as("README blocks and the regions of io.irisx.examples.readme").isEmpty();
    }

    @Test
    void every_region_is_run_by_a_readme_examples_test() throws IOException {
        String tests;
        try (Stream<Path> files = Files.list(TESTS)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().matches("Readme\\w*ExamplesTest\\.java"))
                    .toList()) {
                all.append(Files.readString(file));
            }
            tests = all.toString();
        }
        assertThat(tests).as("the Readme*ExamplesTest classes in %s", TESTS).isNotEmpty();

        List<String> unrun = regions().values().stream()
                .filter(region -> !tests.contains(region.file().replace(".java", "") + "." + region.method() + "("))
                .map(region -> region + ", in " + region.method() + "(…)")
                .toList();
        assertThat(unrun).as("regions whose method no Readme*ExamplesTest calls").isEmpty();
    }

    private static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(README);
        List<Block> blocks = new ArrayList<>();
        String section = "(top)";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ")) {
                section = lines.get(i).substring(3);
            } else if (lines.get(i).strip().equals("```java")) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                blocks.add(new Block(i + 1, section, List.copyOf(lines.subList(i + 1, end))));
                i = end;
            }
        }
        return blocks;
    }

    /** Every region of the readme package, by name; a region without an end, or a name used twice, fails. */
    private static Map<String, Region> regions() throws IOException {
        Map<String, Region> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(REGIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                for (Region region : regionsOf(file)) {
                    Region before = regions.put(region.name(), region);
                    assertThat(before).as("%s has the name of %s", region, before).isNull();
                }
            }
        }
        return regions;
    }

    private static List<Region> regionsOf(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String name = file.getFileName().toString();
        List<Region> regions = new ArrayList<>();
        String method = "?";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher declaration = METHOD.matcher(line);
            if (declaration.find()) {
                method = declaration.group(1);
            }
            if (!line.startsWith(BEGIN)) {
                continue;
            }
            int begin = i;
            while (++i < lines.size() && !lines.get(i).strip().equals(END)) {
                assertThat(lines.get(i).strip()).as("%s:%d opens a region inside another", name, i + 1)
                        .doesNotStartWith(BEGIN);
            }
            assertThat(i).as("the region opened at %s:%d has no %s", name, begin + 1, END).isLessThan(lines.size());
            regions.add(new Region(line.substring(BEGIN.length()).strip(), name, begin + 1, method,
                    dedent(lines.subList(begin + 1, i))));
        }
        return regions;
    }

    /** {@code lines} without the indentation all their non-blank lines share; blank lines become empty. */
    private static List<String> dedent(List<String> lines) {
        int common = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(common)).toList();
    }

    /** Where the region most like {@code block} first differs from it, to show what drifted. */
    private static String closest(Block block, Map<String, Region> regions) {
        return regions.values().stream()
                .max(Comparator.comparingLong(region -> sameLines(block.lines(), region.lines())))
                .map(region -> {
                    int at = 0;
                    while (at < block.lines().size() && at < region.lines().size()
                            && block.lines().get(at).equals(region.lines().get(at))) {
                        at++;
                    }
                    return "; the closest, " + region + ", differs at the block's line " + (at + 1) + ":\n  README: "
                            + lineOrEnd(block.lines(), at) + "\n  region: " + lineOrEnd(region.lines(), at);
                })
                .orElse("");
    }

    private static long sameLines(List<String> a, List<String> b) {
        return a.stream().filter(b::contains).count();
    }

    private static String lineOrEnd(List<String> lines, int at) {
        return at < lines.size() ? lines.get(at) : "(ends here)";
    }

    /** The project's root: the parent of the examples module's basedir (Surefire's {@code basedir}). */
    private static Path projectRoot() {
        Path start = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("examples/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no IRISX project (README.md beside examples/pom.xml) at or above " + start);
    }
}

package dev.raftledger.raftd.nativeimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The files of each class-path root (a classes directory or a jar), by name, as a native image
 * would see them: the resources it can include and the metadata under META-INF/native-image.
 */
public final class ClassPathIndex {

    /** One class-path root and the names of the files in it ("a/b/C.class", "x.properties"). */
    public record Root(Path location, List<String> files) {

        public byte[] read(String name) {
            try {
                if (Files.isDirectory(location)) {
                    return Files.readAllBytes(location.resolve(name));
                }
                try (JarFile jar = new JarFile(location.toFile())) {
                    ZipEntry e = jar.getEntry(name);
                    if (e == null) {
                        throw new IOException(name + " not in " + location);
                    }
                    return jar.getInputStream(e).readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** How messages name this root: "raftd/target/classes" for a directory, the file name for a jar. */
        public String label() {
            if (Files.isDirectory(location) && location.getNameCount() >= 3) {
                return location.subpath(location.getNameCount() - 3, location.getNameCount()).toString();
            }
            return location.getFileName().toString();
        }

        /** "C.class" files turned into class names (module-info and multi-release copies left out). */
        public List<String> classNames() {
            return files.stream()
                    .filter(f -> f.endsWith(".class") && !f.startsWith("META-INF/") && !f.endsWith("module-info.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }

    private final Map<Path, Root> roots;

    private ClassPathIndex(Map<Path, Root> roots) {
        this.roots = roots;
    }

    /** The test JVM's class path; under surefire that is the module's runtime and test class path. */
    public static ClassPathIndex ofTestClassPath() {
        Map<Path, Root> roots = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                Path p = Path.of(entry).toAbsolutePath().normalize();
                if (Files.exists(p)) {
                    roots.put(p, index(p));
                }
            }
        }
        return new ClassPathIndex(roots);
    }

    public List<Root> roots() {
        return List.copyOf(roots.values());
    }

    /** The root that holds {@code type}'s class file (its code source). */
    public Root rootOf(Class<?> type) {
        try {
            Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
            Root r = roots.get(p);
            if (r == null) {
                throw new IllegalStateException(type + " comes from " + p + ", which is not on java.class.path");
            }
            return r;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file name on the class path that is not a class: what a resource pattern may match. */
    public List<String> resourceNames() {
        List<String> names = new ArrayList<>();
        for (Root r : roots.values()) {
            r.files().stream().filter(f -> !f.endsWith(".class")).forEach(names::add);
        }
        return names;
    }

    private static Root index(Path location) {
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> walk = Files.walk(location)) {
                    List<String> files = walk.filter(Files::isRegularFile)
                            .map(f -> location.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                            .sorted()
                            .toList();
                    return new Root(location, files);
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                List<String> files = jar.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).sorted().toList();
                return new Root(location, files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index " + location, e);
        }
    }
}

package dev.raftledger.raftd.nativeimage;

import dev.raftledger.raftd.nativeimage.ClassFileReader.Call;
import dev.raftledger.raftd.nativeimage.ClassFileReader.ClassFacts;
import dev.raftledger.raftd.nativeimage.ClassPathIndex.Root;
import dev.raftledger.raftd.nativeimage.ShippedMetadata.ImageProperties;
import dev.raftledger.raftd.nativeimage.ShippedMetadata.MethodSpec;
import dev.raftledger.raftd.nativeimage.ShippedMetadata.ProxySpec;
import dev.raftledger.raftd.nativeimage.ShippedMetadata.ReflectEntry;
import dev.raftledger.raftd.nativeimage.ShippedMetadata.ResourceRule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the native-image metadata that our jars ship against our code, on the JVM:
 * <ol>
 *   <li>everything the metadata names exists (classes, fields, methods, resources, bundles);</li>
 *   <li>every reflective, load-by-name or native-image specific call in our classes is in the
 *       allow-list, and what the allow-list says covers it is really in the metadata;</li>
 *   <li>everything picocli reflects on (from the annotations) is registered;</li>
 *   <li>the dependencies' needs (premises) are covered, by our metadata or by theirs;</li>
 *   <li>no Jackson data binding and no flags that hide problems until run time.</li>
 * </ol>
 * Each method returns problems as sentences; an empty list means the check passed.
 */
public final class MetadataAudit {

    /** native-image flags that turn build-time errors into run-time surprises. */
    private static final Set<String> HIDING_FLAGS = Set.of("--allow-incomplete-classpath",
            "--report-unsupported-elements-at-runtime", "-H:+ReportUnsupportedElementsAtRuntime",
            "--initialize-at-build-time", "-H:+AllowIncompleteClasspath");

    private final ClassPathIndex classPath;
    private final List<Root> ours;
    private final ShippedMetadata shipped;
    private final ShippedMetadata everyone;
    private final Set<String> resourceNames;

    /**
     * @param classPath the test class path (our jars and every dependency)
     * @param ours      the roots of our code: the module's classes and common's; their metadata is
     *                  what this project ships
     */
    public MetadataAudit(ClassPathIndex classPath, List<Root> ours) {
        this.classPath = classPath;
        this.ours = List.copyOf(ours);
        this.shipped = ShippedMetadata.read(ours);
        this.everyone = ShippedMetadata.read(classPath.roots());
        this.resourceNames = new HashSet<>(classPath.resourceNames());
    }

    public ShippedMetadata shipped() {
        return shipped;
    }

    /** Our classes, loaded without initialising them. */
    public List<Class<?>> ourClasses() {
        List<Class<?>> classes = new ArrayList<>();
        for (Root r : ours) {
            for (String name : r.classNames()) {
                classes.add(load(name));
            }
        }
        return classes;
    }

    /** Every reflective call site in our classes (for the allow-list and for reports). */
    public List<Call> sensitiveCalls() {
        List<Call> calls = new ArrayList<>();
        for (ClassFacts facts : scan()) {
            facts.calls().stream().filter(c -> ReflectiveApis.sensitive(c.target())).forEach(calls::add);
        }
        return calls;
    }

    /** (1) Everything our metadata names exists, and its files are readable and known. */
    public List<String> checkMetadataNamesExisting() {
        List<String> problems = new ArrayList<>(shipped.problems());
        if (shipped.files().isEmpty()) {
            problems.add("no native-image metadata under META-INF/native-image/ in " + locations());
        }
        for (ReflectEntry e : shipped.reflection()) {
            problems.addAll(entryExists(e));
        }
        for (ResourceRule r : shipped.resources()) {
            if (resourceNames.stream().noneMatch(n -> r.regex().matcher(n).matches())) {
                problems.add(r.source() + ": resource pattern '" + r.pattern() + "' matches nothing on the class path");
            }
        }
        for (String bundle : shipped.bundles()) {
            try {
                ResourceBundle.getBundle(bundle);
            } catch (MissingResourceException e) {
                problems.add("resource bundle '" + bundle + "' does not exist");
            }
        }
        for (ProxySpec p : shipped.proxies()) {
            for (String i : p.interfaces()) {
                Class<?> c = tryLoad(i);
                if (c == null || !c.isInterface()) {
                    problems.add(p.source() + ": proxy interface " + i
                            + (c == null ? " does not exist" : " is not an interface"));
                }
            }
        }
        for (ImageProperties p : shipped.properties()) {
            for (String arg : p.args()) {
                String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (HIDING_FLAGS.contains(flag)) {
                    problems.add(p.source() + ": " + arg + " would hide missing metadata until run time");
                }
            }
        }
        return problems;
    }

    /** (2) Every sensitive call is allowed, every allowance is used, and each allowance's coverage holds. */
    public List<String> checkCallsCovered(List<Allowance> allowances) {
        List<String> problems = new ArrayList<>();
        List<Call> calls = sensitiveCalls();
        for (Call call : calls) {
            if (allowances.stream().noneMatch(a -> a.matches(call))) {
                problems.add(call.inClass() + "." + call.inMethod() + " calls " + call.target().api()
                        + ", which a native image honours only with metadata (or support of its own): register what it "
                        + "needs under META-INF/native-image/ and add an Allowance saying what covers it");
            }
        }
        for (Allowance a : allowances) {
            if (calls.stream().noneMatch(a::matches)) {
                problems.add("stale allowance: " + a.inClass() + "." + a.inMethod() + " no longer calls " + a.api());
            }
            problems.addAll(check(a.coverage(), a.inClass() + "." + a.inMethod() + " -> " + a.api()));
        }
        return problems;
    }

    /** (3)/(4) Each premise's coverage holds. */
    public List<String> checkPremises(List<Premise> premises) {
        List<String> problems = new ArrayList<>();
        for (Premise p : premises) {
            problems.addAll(check(p.coverage(), p.why()));
        }
        return problems;
    }

    /** (5) Our classes use no Jackson data binding: it reflects on whatever it is handed. */
    public List<String> checkNoDataBinding() {
        List<String> problems = new ArrayList<>();
        for (ClassFacts facts : scan()) {
            for (String c : facts.referencedClasses()) {
                if (ReflectiveApis.forbiddenClass(c)) {
                    problems.add(facts.name() + " uses " + c.replace('/', '.') + " (Jackson data binding reflects on "
                            + "classes no metadata lists; use the tree model through Codec)");
                }
            }
            for (Call call : facts.calls()) {
                if (ReflectiveApis.forbiddenCall(call.target())) {
                    problems.add(call.inClass() + "." + call.inMethod() + " calls " + call.target().api()
                            + " (goes through Jackson's internal ObjectMapper; use Codec.toJson)");
                }
            }
        }
        return problems;
    }

    private List<ClassFacts> scan() {
        List<ClassFacts> all = new ArrayList<>();
        for (Root r : ours) {
            for (String name : r.classNames()) {
                all.add(ClassFileReader.read(r.read(name.replace('.', '/') + ".class")));
            }
        }
        return all;
    }

    private List<String> check(Coverage coverage, String context) {
        List<String> problems = new ArrayList<>();
        if (coverage instanceof Coverage.Resource r) {
            if (!resourceNames.contains(r.name())) {
                problems.add(context + ": resource " + r.name() + " does not exist on the class path");
            }
            if (!shipped.coversResource(r.name())) {
                problems.add(context + ": resource " + r.name() + " is matched by no resource-config pattern we ship");
            }
        } else if (coverage instanceof Coverage.Reflection r) {
            String missing = reflectionGap(r.className(), r.member());
            if (missing != null) {
                problems.add(context + ": " + missing);
            }
        } else if (coverage instanceof Coverage.Services s) {
            List<String> providers = providers(s.serviceInterface());
            if (providers.isEmpty()) {
                problems.add(context + ": no META-INF/services/" + s.serviceInterface() + " on the class path");
            }
            for (String provider : providers) {
                String missing = reflectionGap(provider, "<init>()");
                if (missing != null) {
                    problems.add(context + ": service provider " + missing);
                }
            }
        } else if (coverage instanceof Coverage.ShippedBy s) {
            String dir = "!/" + ShippedMetadata.PREFIX + s.dir() + "/";
            boolean registered = everyone.reflection().stream()
                    .anyMatch(e -> e.source().contains(dir) && e.name().equals(s.className()));
            if (!registered) {
                problems.add(context + ": no " + ShippedMetadata.PREFIX + s.dir() + "/ on the class path registers "
                        + s.className() + " (the dependency stopped shipping its metadata?)");
            }
            if (tryLoad(s.className()) == null) {
                problems.add(context + ": " + s.className() + " does not exist");
            }
        } else if (coverage instanceof Coverage.NativeImage n) {
            if (n.why() == null || n.why().isBlank()) {
                problems.add(context + ": covered by native-image itself, but the allowance does not say how");
            }
        }
        return problems;
    }

    /** Null if our metadata registers the class and member; otherwise what is missing. */
    private String reflectionGap(String className, String member) {
        List<ReflectEntry> entries = shipped.entriesFor(className);
        if (entries.isEmpty()) {
            return className + " is not in any reflect-config we ship";
        }
        if (member == null) {
            return null;
        }
        Class<?> c = tryLoad(className);
        if (c == null) {
            return className + " does not exist";
        }
        if (member.contains("(")) {
            String name = member.substring(0, member.indexOf('('));
            List<String> params = parameters(member);
            Executable target = executable(c, name, params);
            if (target == null) {
                return className + " has no " + member;
            }
            boolean isPublic = Modifier.isPublic(target.getModifiers());
            boolean constructor = name.equals("<init>");
            for (ReflectEntry e : entries) {
                boolean bulk = constructor
                        ? e.allDeclaredConstructors() || (isPublic && e.allPublicConstructors())
                        : e.allDeclaredMethods() || (isPublic && e.allPublicMethods());
                boolean listed = e.methods().stream().anyMatch(m -> m.name().equals(name)
                        && (m.parameterTypes() == null || m.parameterTypes().equals(params)));
                if (bulk || listed) {
                    return null;
                }
            }
            return className + "." + member + " is not registered (" + sources(entries) + ")";
        }
        Field f = field(c, member);
        if (f == null) {
            return className + " has no field " + member;
        }
        for (ReflectEntry e : entries) {
            boolean bulk = e.allDeclaredFields() || (Modifier.isPublic(f.getModifiers()) && e.allPublicFields());
            if (bulk || e.fields().contains(member)) {
                return null;
            }
        }
        return "field " + className + "." + member + " is not registered (" + sources(entries) + ")";
    }

    private List<String> entryExists(ReflectEntry e) {
        List<String> problems = new ArrayList<>();
        Class<?> c = tryLoad(e.name());
        if (c == null) {
            problems.add(e.source() + ": class " + e.name() + " does not exist");
            return problems;
        }
        for (String f : e.fields()) {
            if (field(c, f) == null) {
                problems.add(e.source() + ": " + e.name() + " has no field " + f);
            }
        }
        for (MethodSpec m : e.methods()) {
            boolean found = m.parameterTypes() == null
                    ? (m.name().equals("<init>") ? c.getDeclaredConstructors().length > 0
                            : Arrays.stream(c.getDeclaredMethods()).anyMatch(x -> x.getName().equals(m.name())))
                    : executable(c, m.name(), m.parameterTypes()) != null;
            if (!found) {
                problems.add(e.source() + ": " + e.name() + " has no method " + m);
            }
        }
        return problems;
    }

    private static List<String> parameters(String member) {
        String inside = member.substring(member.indexOf('(') + 1, member.lastIndexOf(')')).trim();
        return inside.isEmpty() ? List.of() : List.of(inside.split("\\s*,\\s*"));
    }

    private static Executable executable(Class<?> c, String name, List<String> params) {
        if (name.equals("<init>")) {
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (typeNames(k.getParameterTypes()).equals(params)) {
                    return k;
                }
            }
            return null;
        }
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name) && typeNames(m.getParameterTypes()).equals(params)) {
                return m;
            }
        }
        return null;
    }

    private static List<String> typeNames(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getTypeName).toList();
    }

    private static Field field(Class<?> c, String name) {
        try {
            return c.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /** The providers listed in every META-INF/services file for this interface on the class path. */
    private List<String> providers(String serviceInterface) {
        String file = "META-INF/services/" + serviceInterface;
        List<String> providers = new ArrayList<>();
        for (Root r : classPath.roots()) {
            if (r.files().contains(file)) {
                for (String line : new String(r.read(file), StandardCharsets.UTF_8).split("\n")) {
                    String name = line.replaceAll("#.*", "").trim();
                    if (!name.isEmpty()) {
                        providers.add(name);
                    }
                }
            }
        }
        return providers;
    }

    private static String sources(List<ReflectEntry> entries) {
        return "entries in " + entries.stream().map(ReflectEntry::source).distinct().collect(Collectors.joining(", "));
    }

    private String locations() {
        return ours.stream().map(r -> r.location().toString()).collect(Collectors.joining(", "));
    }

    private static Class<?> load(String name) {
        Class<?> c = tryLoad(name);
        if (c == null) {
            throw new IllegalStateException("cannot load our own class " + name);
        }
        return c;
    }

    /** Class.forName without initialising; array names ("a.B[]") and primitives too; null if absent. */
    static Class<?> tryLoad(String name) {
        if (name.endsWith("[]")) {
            Class<?> component = tryLoad(name.substring(0, name.length() - 2));
            return component == null ? null : component.arrayType();
        }
        try {
            return Class.forName(name, false, MetadataAudit.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}

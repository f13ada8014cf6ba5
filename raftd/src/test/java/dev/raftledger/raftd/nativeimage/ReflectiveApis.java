package dev.raftledger.raftd.nativeimage;

import dev.raftledger.raftd.nativeimage.ClassFileReader.MemberRef;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The JDK calls that a native image can only honour with metadata (or that it implements in a
 * way of its own), and the Jackson APIs our code must not use. A call to any of these in our
 * classes must be named in the module's allow-list together with what covers it.
 */
public final class ReflectiveApis {

    private ReflectiveApis() {}

    /** Owner (internal name) to the member names that matter; each is reflective, loads by name, or is native-image specific. */
    private static final Map<String, Predicate<String>> SENSITIVE = Map.ofEntries(
            Map.entry("java/lang/Class", Set.of("forName", "getField", "getFields", "getDeclaredField",
                    "getDeclaredFields", "getMethod", "getMethods", "getDeclaredMethod", "getDeclaredMethods",
                    "getConstructor", "getConstructors", "getDeclaredConstructor", "getDeclaredConstructors",
                    "newInstance", "getResource", "getResourceAsStream", "getRecordComponents",
                    "getPermittedSubclasses", "getClasses", "getDeclaredClasses")::contains),
            Map.entry("java/lang/ClassLoader", Set.of("loadClass", "getResource", "getResources",
                    "getResourceAsStream", "getSystemResource", "getSystemResources", "getSystemResourceAsStream",
                    "resources", "defineClass")::contains),
            Map.entry("java/lang/Module", Set.of("getResourceAsStream")::contains),
            Map.entry("java/lang/reflect/Method", Set.of("invoke", "setAccessible", "trySetAccessible")::contains),
            Map.entry("java/lang/reflect/Constructor", Set.of("newInstance", "setAccessible", "trySetAccessible")::contains),
            Map.entry("java/lang/reflect/Field", name -> (name.startsWith("get") || name.startsWith("set")
                    || name.equals("trySetAccessible"))
                    && !Set.of("getName", "getType", "getGenericType", "getModifiers", "getDeclaringClass").contains(name)),
            Map.entry("java/lang/reflect/AccessibleObject", Set.of("setAccessible", "trySetAccessible")::contains),
            Map.entry("java/lang/reflect/Proxy", Set.of("newProxyInstance", "getProxyClass")::contains),
            Map.entry("java/lang/reflect/Array", Set.of("newInstance")::contains),
            Map.entry("java/util/ServiceLoader", Set.of("load", "loadInstalled")::contains),
            Map.entry("java/io/ObjectInputStream", Set.of("<init>")::contains),
            Map.entry("java/io/ObjectOutputStream", Set.of("<init>")::contains),
            Map.entry("java/lang/invoke/MethodHandles$Lookup", name -> name.startsWith("find") || name.startsWith("unreflect")),
            Map.entry("java/lang/System", Set.of("load", "loadLibrary")::contains),
            Map.entry("java/lang/Runtime", Set.of("load", "loadLibrary")::contains),
            Map.entry("java/util/ResourceBundle", Set.of("getBundle")::contains),
            Map.entry("java/nio/charset/Charset", Set.of("forName")::contains),
            Map.entry("java/util/random/RandomGenerator", Set.of("of")::contains),
            Map.entry("java/util/random/RandomGeneratorFactory", Set.of("of", "all")::contains),
            // JCA: the provider's implementation class is found by algorithm name and instantiated reflectively.
            Map.entry("javax/crypto/Mac", Set.of("getInstance")::contains),
            Map.entry("javax/crypto/Cipher", Set.of("getInstance")::contains),
            Map.entry("javax/crypto/KeyGenerator", Set.of("getInstance")::contains),
            Map.entry("java/security/MessageDigest", Set.of("getInstance")::contains),
            Map.entry("java/security/Signature", Set.of("getInstance")::contains),
            Map.entry("java/security/KeyFactory", Set.of("getInstance")::contains),
            Map.entry("java/security/KeyStore", Set.of("getInstance")::contains),
            Map.entry("java/security/SecureRandom", Set.of("<init>", "getInstance", "getInstanceStrong")::contains),
            // Not metadata, but native-image specific: signal handling must be supported by the image.
            Map.entry("sun/misc/Signal", Set.of("handle")::contains));

    /**
     * Jackson data binding: an ObjectMapper reflects on whatever it is given, so our code stays on
     * the tree model and streaming API. JsonNode.toString/toPrettyString and POJO nodes go through
     * Jackson's internal ObjectMapper, so they count as data binding too.
     */
    private static final Set<String> FORBIDDEN_CLASSES = Set.of(
            "com/fasterxml/jackson/databind/ObjectMapper",
            "com/fasterxml/jackson/databind/ObjectReader",
            "com/fasterxml/jackson/databind/ObjectWriter",
            "com/fasterxml/jackson/databind/json/JsonMapper",
            "com/fasterxml/jackson/databind/node/POJONode");

    private static final Set<String> FORBIDDEN_NODE_METHODS = Set.of("toString", "toPrettyString", "pojoNode",
            "putPOJO", "addPOJO");

    /** Whether a call to {@code target} needs metadata or native-image support. */
    public static boolean sensitive(MemberRef target) {
        Predicate<String> names = SENSITIVE.get(target.owner());
        return names != null && names.test(target.name());
    }

    /** Whether naming this class is forbidden (data binding). */
    public static boolean forbiddenClass(String internalName) {
        return FORBIDDEN_CLASSES.contains(internalName);
    }

    /** Whether calling this member is forbidden (data binding through a JsonNode). */
    public static boolean forbiddenCall(MemberRef target) {
        return target.owner().startsWith("com/fasterxml/jackson/databind/")
                && FORBIDDEN_NODE_METHODS.contains(target.name());
    }
}

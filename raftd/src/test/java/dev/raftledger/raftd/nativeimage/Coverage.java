package dev.raftledger.raftd.nativeimage;

/** What makes one reflective call, or one need of a dependency, work in a native image. */
public sealed interface Coverage {

    /** A resource the image must include: some resource-config pattern of ours must match it. */
    record Resource(String name) implements Coverage {}

    /**
     * A class (member null), constructor ("&lt;init&gt;(types)"), method ("name(types)") or field
     * ("name") that our reflect-config must register.
     */
    record Reflection(String className, String member) implements Coverage {}

    /** Every provider of this service on the class path must be registered for construction. */
    record Services(String serviceInterface) implements Coverage {}

    /**
     * The dependency ships its own metadata: {@code dir} under META-INF/native-image/ must exist on
     * the class path and register {@code className}.
     */
    record ShippedBy(String dir, String className) implements Coverage {}

    /** No metadata: native-image itself handles it; {@code why} says how. */
    record NativeImage(String why) implements Coverage {}

    public static Resource resource(String name) {
        return new Resource(name);
    }

    public static Reflection reflection(String className, String member) {
        return new Reflection(className, member);
    }

    public static NativeImage nativeImage(String why) {
        return new NativeImage(why);
    }
}

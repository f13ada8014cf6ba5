package dev.raftledger.raftd.nativeimage;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * What picocli reflects on at run time, derived from the annotations of our classes: every
 * annotated class with its annotated fields and methods, every class picocli instantiates
 * (subcommands, version and default providers, converters, completion candidates, mixins, groups),
 * and the JDK factory methods picocli's built-in converters find by reflection for option types
 * such as {@code Path}.
 */
public final class PicocliRequirements {

    private static final List<Class<? extends Annotation>> MEMBER_ANNOTATIONS = List.of(Option.class,
            Parameters.class, Mixin.class, Spec.class, ArgGroup.class, ParentCommand.class, Unmatched.class);

    /** Option types that picocli converts through a factory method it looks up reflectively (CommandLine.BuiltIn). */
    private static final Map<String, String> REFLECTIVE_CONVERTERS = Map.ofEntries(
            Map.entry("java.nio.file.Path", "java.nio.file.Paths#get(java.lang.String,java.lang.String[])"),
            Map.entry("java.time.Duration", "java.time.Duration#parse(java.lang.CharSequence)"),
            Map.entry("java.time.Instant", "java.time.Instant#parse(java.lang.CharSequence)"),
            Map.entry("java.time.LocalDate", "java.time.LocalDate#parse(java.lang.CharSequence)"),
            Map.entry("java.time.LocalDateTime", "java.time.LocalDateTime#parse(java.lang.CharSequence)"),
            Map.entry("java.time.LocalTime", "java.time.LocalTime#parse(java.lang.CharSequence)"),
            Map.entry("java.time.MonthDay", "java.time.MonthDay#parse(java.lang.CharSequence)"),
            Map.entry("java.time.OffsetDateTime", "java.time.OffsetDateTime#parse(java.lang.CharSequence)"),
            Map.entry("java.time.OffsetTime", "java.time.OffsetTime#parse(java.lang.CharSequence)"),
            Map.entry("java.time.Period", "java.time.Period#parse(java.lang.CharSequence)"),
            Map.entry("java.time.Year", "java.time.Year#parse(java.lang.CharSequence)"),
            Map.entry("java.time.YearMonth", "java.time.YearMonth#parse(java.lang.CharSequence)"),
            Map.entry("java.time.ZonedDateTime", "java.time.ZonedDateTime#parse(java.lang.CharSequence)"),
            Map.entry("java.time.ZoneId", "java.time.ZoneId#of(java.lang.String)"),
            Map.entry("java.time.ZoneOffset", "java.time.ZoneOffset#of(java.lang.String)"));

    private PicocliRequirements() {}

    /** The requirements of these classes (those without picocli annotations add none). */
    public static List<Premise> of(List<Class<?>> classes) {
        Set<Premise> out = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            boolean command = c.isAnnotationPresent(Command.class);
            List<Field> fields = annotatedFields(c);
            List<Method> methods = annotatedMethods(c);
            if (!command && fields.isEmpty() && methods.isEmpty()) {
                continue;
            }
            String why = "picocli reads " + c.getName();
            out.add(new Premise(why, Coverage.reflection(c.getName(), null)));
            if (hasNoArgConstructor(c)) {
                out.add(new Premise(why + " (instantiates it)", Coverage.reflection(c.getName(), "<init>()")));
            }
            for (Field f : fields) {
                out.add(new Premise(why + " (sets @" + annotationOf(f) + " field " + f.getName() + ")",
                        Coverage.reflection(c.getName(), f.getName())));
                out.addAll(typeNeeds(f.getGenericType(), c.getName() + "." + f.getName()));
                out.addAll(classesIn(f, c.getName() + "." + f.getName()));
                if (f.isAnnotationPresent(Mixin.class) || f.isAnnotationPresent(ArgGroup.class)) {
                    out.add(new Premise("picocli instantiates the mixin/group " + c.getName() + "." + f.getName(),
                            Coverage.reflection(f.getType().getName(), "<init>()")));
                }
            }
            for (Method m : methods) {
                out.add(new Premise(why + " (calls @" + annotationOf(m) + " method " + m.getName() + ")",
                        Coverage.reflection(c.getName(), signature(m))));
                for (Type t : m.getGenericParameterTypes()) {
                    out.addAll(typeNeeds(t, c.getName() + "." + m.getName()));
                }
                out.addAll(classesIn(m, c.getName() + "." + m.getName()));
            }
            Command cmd = c.getAnnotation(Command.class);
            if (cmd != null) {
                out.addAll(classesIn(c, c.getName()));
                if (cmd.mixinStandardHelpOptions()) {
                    String help = "picocli.CommandLine$AutoHelpMixin";
                    String mixin = "mixinStandardHelpOptions of " + c.getName();
                    out.add(new Premise(mixin, Coverage.reflection(help, "helpRequested")));
                    out.add(new Premise(mixin, Coverage.reflection(help, "versionRequested")));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<Field> annotatedFields(Class<?> c) {
        return Arrays.stream(c.getDeclaredFields()).filter(PicocliRequirements::annotated).toList();
    }

    private static List<Method> annotatedMethods(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(PicocliRequirements::annotated).toList();
    }

    private static boolean annotated(AnnotatedElement e) {
        return MEMBER_ANNOTATIONS.stream().anyMatch(e::isAnnotationPresent);
    }

    private static String annotationOf(AnnotatedElement e) {
        return MEMBER_ANNOTATIONS.stream().filter(e::isAnnotationPresent).map(Class::getSimpleName).findFirst().orElse("?");
    }

    private static boolean hasNoArgConstructor(Class<?> c) {
        return Arrays.stream(c.getDeclaredConstructors()).anyMatch(k -> k.getParameterCount() == 0);
    }

    private static String signature(Method m) {
        String params = Arrays.stream(m.getParameterTypes()).map(Class::getTypeName).collect(Collectors.joining(","));
        return m.getName() + "(" + params + ")";
    }

    /** The reflective converters needed for a field or parameter type, its element types included. */
    private static List<Premise> typeNeeds(Type type, String where) {
        List<Premise> out = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        collectTypes(type, types);
        for (Class<?> t : types) {
            String converter = REFLECTIVE_CONVERTERS.get(t.getName());
            if (converter != null) {
                String[] parts = converter.split("#");
                out.add(new Premise("picocli converts " + where + " (" + t.getSimpleName() + ") by reflection",
                        Coverage.reflection(parts[0], parts[1])));
            } else if (t.getName().startsWith("java.sql.")) {
                out.add(new Premise(where + ": picocli converts java.sql types by reflection; add them to "
                        + "PicocliRequirements.REFLECTIVE_CONVERTERS", Coverage.reflection("unsupported." + t.getName(), null)));
            }
        }
        return out;
    }

    private static void collectTypes(Type type, List<Class<?>> out) {
        if (type instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            collectTypes(p.getRawType(), out);
            for (Type arg : p.getActualTypeArguments()) {
                collectTypes(arg, out);
            }
        }
    }

    /**
     * Classes named in annotation attributes that picocli instantiates (converters, providers,
     * subcommands, ...), unless the attribute keeps picocli's default placeholder.
     */
    private static List<Premise> classesIn(AnnotatedElement element, String where) {
        List<Premise> out = new ArrayList<>();
        for (Annotation a : element.getAnnotations()) {
            if (!a.annotationType().getName().startsWith("picocli.")) {
                continue;
            }
            for (Method attribute : a.annotationType().getDeclaredMethods()) {
                Class<?> r = attribute.getReturnType();
                if (r != Class.class && r != Class[].class) {
                    continue;
                }
                if ((attribute.getName().equals("type") || attribute.getName().equals("auxiliaryTypes"))) {
                    continue; // type hints, not instantiated
                }
                Object value = invoke(attribute, a);
                List<Class<?>> defaults = classes(attribute.getDefaultValue());
                for (Class<?> k : classes(value)) {
                    if (!defaults.contains(k)) {
                        String why = "picocli instantiates " + k.getName() + " (" + a.annotationType().getSimpleName()
                                + "." + attribute.getName() + " of " + where + ")";
                        out.add(new Premise(why, Coverage.reflection(k.getName(), "<init>()")));
                    }
                }
            }
        }
        return out;
    }

    /** An annotation attribute's Class or Class[] value as a list (empty for none). */
    private static List<Class<?>> classes(Object value) {
        if (value instanceof Class<?>[] array) {
            return Arrays.asList(array);
        }
        return value == null ? List.of() : List.of((Class<?>) value);
    }

    private static Object invoke(Method attribute, Annotation a) {
        try {
            return attribute.invoke(a);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + attribute + " of " + a, e);
        }
    }
}

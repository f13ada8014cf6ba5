package dev.raftledger.raftd.bench;

/** The benchmark programs' {@code --name value} arguments. */
final class BenchArgs {

    private BenchArgs() {}

    /** The value after {@code name}, or {@code fallback} if it is not given. */
    static String string(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** Whether {@code name} is among the arguments. */
    static boolean flag(String[] args, String name) {
        return java.util.Arrays.asList(args).contains(name);
    }

    static int integer(String[] args, String name, int fallback) {
        String v = string(args, name, null);
        return v == null ? fallback : Integer.parseInt(v);
    }
}

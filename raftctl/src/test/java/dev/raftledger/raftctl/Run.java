package dev.raftledger.raftctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** One in-process raftctl run: its exit status and what it wrote. */
public record Run(int code, String out, String err) {

    /** Runs raftctl in a fake environment: no variables, {@code home} as the home directory. */
    public static Run of(Path home, String... args) {
        return of(environment(Map.of(), home), args);
    }

    public static Run of(Environment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(environment);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** An environment whose terminal cannot be opened: one-shot commands must not need one. */
    public static Environment environment(Map<String, String> variables, Path home) {
        return new Environment(variables, home, () -> {
            throw new IOException("no terminal in this test");
        }, false);
    }

    /** Neither stream shows a Java stack trace or exception class name. */
    public boolean noStackTrace() {
        String all = out + err;
        return !all.contains("Exception") && !all.contains("\tat ") && !all.contains("at dev.raftledger");
    }
}

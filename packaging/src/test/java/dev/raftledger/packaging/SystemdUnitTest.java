package dev.raftledger.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit's restart policy, read from packaging/systemd/raftd.service.in (the template both
 * packages install): a node that cannot start gives up after a bounded number of attempts, a
 * stop is never a failure, and docs/install.md says what the unit does. systemd itself runs the
 * unit in the nspawn test; this pins the numbers without one.
 */
class SystemdUnitTest {

    /** Generous: the JVM of a node that cannot bind its ports fails within a second or two. */
    private static final long SLOWEST_FAILING_START_SECONDS = 20;

    private static Map<String, Map<String, List<String>>> unit;

    @BeforeAll
    static void read() throws IOException {
        unit = parse(Files.readString(Path.of("systemd/raftd.service.in"), StandardCharsets.UTF_8));
    }

    @Test
    void failingStartsStopAfterABoundedNumberOfAttempts() {
        assertEquals(List.of("on-failure"), unit.get("Service").get("Restart"));
        long restartSec = seconds(only("Service", "RestartSec"));
        long interval = seconds(only("Unit", "StartLimitIntervalSec"));
        long burst = Long.parseLong(only("Unit", "StartLimitBurst"));
        assertTrue(burst >= 1 && burst <= 10, "StartLimitBurst " + burst);
        // systemd gives up when burst + 1 starts fall within the interval; consecutive starts are a
        // failing start plus RestartSec apart, so burst + 1 of them span burst such gaps.
        long span = burst * (restartSec + SLOWEST_FAILING_START_SECONDS);
        assertTrue(span <= interval, burst + 1 + " starts " + (restartSec + SLOWEST_FAILING_START_SECONDS)
                + " s apart take " + span + " s, longer than StartLimitIntervalSec=" + interval
                + ": the unit would retry for ever");
        assertTrue(unit.get("Service").get("StartLimitIntervalSec") == null
                && unit.get("Service").get("StartLimitBurst") == null, "start limits belong in [Unit]");
    }

    @Test
    void errorsThatRetryingCannotFixAreNotRetried() {
        List<String> prevent = Arrays.asList(only("Service", "RestartPreventExitStatus").split("\\s+"));
        for (String status : List.of("2", "217")) { // raftd's usage error; 217/USER: no raftd user
            assertTrue(prevent.contains(status), "RestartPreventExitStatus lacks " + status + ": " + prevent);
        }
    }

    @Test
    void aReloadSendsSighupToTheMainProcess() {
        // raftd reads its key files again on SIGHUP; systemd fills in ${MAINPID} (the JVM: the
        // launcher execs it), and the shell's kill builtin sends the signal (no /bin/kill needed)
        String reload = only("Service", "ExecReload");
        assertEquals("/bin/sh -c 'kill -HUP ${MAINPID}'", reload);
    }

    @Test
    void aStopWhileTheJvmStartsIsNotAFailure() {
        // SIGTERM before raftd has its handler: the JVM exits 128 + 15
        List<String> success = Arrays.asList(only("Service", "SuccessExitStatus").split("\\s+"));
        assertTrue(success.contains("143"), "SuccessExitStatus " + success);
    }

    @Test
    void installMdSaysWhatTheUnitDoes() throws IOException {
        String doc = Files.readString(Path.of("../docs/install.md"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        String limit = only("Unit", "StartLimitBurst") + " starts in " + seconds(only("Unit", "StartLimitIntervalSec")) + " s";
        assertTrue(doc.contains(limit), "docs/install.md does not say '" + limit + "'");
        assertTrue(doc.contains("every " + seconds(only("Service", "RestartSec")) + " s"), "the restart delay");
        assertTrue(doc.contains("systemctl reset-failed raftd"), "how to start again after the limit");
    }

    private static String only(String section, String key) {
        Map<String, List<String>> s = unit.get(section);
        assertNotNull(s, "[" + section + "]");
        List<String> values = s.get(key);
        assertNotNull(values, "[" + section + "] has no " + key);
        assertEquals(1, values.size(), key + " set more than once");
        return values.get(0);
    }

    /** A systemd time span of whole seconds or minutes ("2s", "120s", "2min", "30"). */
    static long seconds(String span) {
        String s = span.strip();
        if (s.endsWith("min")) {
            return 60 * Long.parseLong(s.substring(0, s.length() - 3));
        }
        return Long.parseLong(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
    }

    /** Sections to keys to values, in order; comments and blank lines dropped. */
    private static Map<String, Map<String, List<String>>> parse(String text) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = out.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0 && section != null, "not a unit line: " + line);
            section.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return out;
    }
}

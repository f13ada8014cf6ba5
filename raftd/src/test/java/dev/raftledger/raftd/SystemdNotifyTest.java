package dev.raftledger.raftd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness for systemd: the right systemd-notify command, nothing at all outside systemd, never a failure. */
class SystemdNotifyTest {

    private final List<List<String>> commands = new ArrayList<>();

    private SystemdNotify.CommandRunner recording(int status) {
        return command -> {
            commands.add(command);
            return new SystemdNotify.Result(status, status == 0 ? "" : "No status data could be sent\n");
        };
    }

    @Test
    void withoutNotifySocketNothingRuns() {
        SystemdNotify notify = new SystemdNotify(Map.of("PATH", "/usr/bin"), recording(0));
        notify.ready("Node1 listening");
        notify.stopping("Node1 stopping");
        assertFalse(notify.enabled());
        assertEquals(List.of(), commands);
    }

    @Test
    void blankNotifySocketCountsAsUnset() {
        SystemdNotify notify = new SystemdNotify(Map.of("NOTIFY_SOCKET", " "), recording(0));
        notify.ready("Node1 listening");
        assertEquals(List.of(), commands);
    }

    @Test
    void readyAndStoppingRunSystemdNotifyWithTheirAssignments() {
        SystemdNotify notify = new SystemdNotify(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), recording(0));
        notify.ready("Node1 listening on 10.0.0.11, ports 9000 9001 9002 5555");
        notify.stopping("Node1 stopping on SIGTERM");
        assertTrue(notify.enabled());
        assertEquals(List.of(
                List.of("systemd-notify", "READY=1", "STATUS=Node1 listening on 10.0.0.11, ports 9000 9001 9002 5555"),
                List.of("systemd-notify", "STOPPING=1", "STATUS=Node1 stopping on SIGTERM")), commands);
    }

    @Test
    void aFailingOrMissingNotifierIsOnlyAWarning() {
        SystemdNotify failing = new SystemdNotify(Map.of("NOTIFY_SOCKET", "@notify"), recording(1));
        failing.ready("Node1 listening");
        assertEquals(1, commands.size(), "it was tried once");

        SystemdNotify missing = new SystemdNotify(Map.of("NOTIFY_SOCKET", "@notify"), command -> {
            throw new IOException("Cannot run program \"systemd-notify\": error=2, No such file or directory");
        });
        missing.ready("Node1 listening");
        missing.stopping("Node1 stopping");
        // reaching here without an exception is the contract: the node runs on regardless
        assertTrue(missing.enabled());
    }

    @Test
    void interruptedWhileNotifyingKeepsTheInterruptFlag() {
        SystemdNotify notify = new SystemdNotify(Map.of("NOTIFY_SOCKET", "@notify"), command -> {
            throw new InterruptedException();
        });
        try {
            notify.stopping("Node1 stopping");
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}

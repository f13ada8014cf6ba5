package dev.raftledger.raftctl.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftctl.Rounds;
import dev.raftledger.raftctl.client.ClusterStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The terminal loop on a JLine terminal of type xterm-256color over pipes: what it sends to the
 * terminal (alternate screen, cursor), the keys it reads, and that it puts everything back.
 */
class FullScreenWatchTest {

    // xterm's sequences for the capabilities the loop uses
    static final String ENTER_ALTERNATE_SCREEN = "\033[?1049h";
    static final String EXIT_ALTERNATE_SCREEN = "\033[?1049l";
    static final String HIDE_CURSOR = "\033[?25l";
    static final String SHOW_CURSOR = "\033[?25h";
    static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private PipedOutputStream keys;
    private Terminal terminal;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @BeforeEach
    void openTerminal() throws IOException {
        keys = new PipedOutputStream();
        terminal = new DumbTerminal("watch-test", "xterm-256color", new PipedInputStream(keys), screen, UTF_8);
        terminal.setSize(new Size(100, 30));
    }

    @AfterEach
    void close() throws IOException {
        runner.shutdownNow();
        keys.close();
        terminal.close();
    }

    private Future<ClusterStatus> start(Supplier<ClusterStatus> poll, Integer count) {
        FullScreenWatch watch = new FullScreenWatch(terminal, poll, "5 nodes (test)", 10, count, ZoneOffset.UTC);
        return runner.submit(watch::run);
    }

    private String output() {
        return screen.toString(UTF_8);
    }

    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WITHIN + ": " + what + "; the terminal got: "
                        + output().replace("\033", "ESC"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private void type(int key) throws IOException {
        keys.write(key);
        keys.flush();
    }

    @Test
    void drawsOnTheAlternateScreenUntilQAndPutsTheTerminalBack() throws Exception {
        Attributes before = new Attributes(terminal.getAttributes());
        Terminal.SignalHandler own = s -> { };
        terminal.handle(Signal.INT, own);
        AtomicInteger rounds = new AtomicInteger();

        Future<ClusterStatus> run = start(() -> {
            rounds.incrementAndGet();
            return Rounds.led("Node2", 4);
        }, null);
        await(() -> output().contains("leader is Node2 (term 4)"), "a frame down to its events");
        type('q');
        ClusterStatus last = run.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        assertEquals("Node2", last.leader().leader());
        String out = output();
        assertTrue(out.startsWith(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR), "alternate screen, then no cursor");
        assertTrue(out.contains("raftctl watch  5 nodes (test)  every 10 ms"), out);
        assertTrue(out.endsWith(SHOW_CURSOR + EXIT_ALTERNATE_SCREEN), "cursor back, then the old screen: "
                + out.substring(Math.max(0, out.length() - 40)));
        assertEquals(before.getLocalFlags(), terminal.getAttributes().getLocalFlags(), "echo and line mode back");
        assertEquals(before.getInputFlags(), terminal.getAttributes().getInputFlags());
        assertSame(own, terminal.handle(Signal.INT, s -> { }), "the caller's Ctrl-C handler is back");
        assertTrue(rounds.get() >= 1);
    }

    @Test
    void ctrlCEndsIt() throws Exception {
        Future<ClusterStatus> run = start(() -> Rounds.led("Node1", 2), null);
        await(() -> output().contains("leader is Node1 (term 2)"), "a frame down to its events");

        type(3); // Ctrl-C: a signal (ISIG stays on in raw mode) or, where it is off, a key

        assertEquals("Node1", run.get(WITHIN.toSeconds(), TimeUnit.SECONDS).leader().leader());
        assertTrue(output().endsWith(SHOW_CURSOR + EXIT_ALTERNATE_SCREEN));
    }

    @Test
    void countRoundsThenItEndsByItself() throws Exception {
        AtomicInteger rounds = new AtomicInteger();

        ClusterStatus last = start(() -> {
            rounds.incrementAndGet();
            return Rounds.led("Node1", 2);
        }, 3).get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        assertEquals(3, rounds.get());
        assertEquals("Node1", last.leader().leader());
        assertTrue(output().endsWith(SHOW_CURSOR + EXIT_ALTERNATE_SCREEN));
    }

    /** Rounds whose leader commits five more entries each time. */
    private static Supplier<ClusterStatus> committing() {
        AtomicInteger rounds = new AtomicInteger();
        return () -> {
            long index = 5L * rounds.incrementAndGet();
            return Rounds.round(Rounds.up("Node1", "leader", 2, "Node1", index), Rounds.up("Node2", "follower", 2, "Node1", index));
        };
    }

    @Test
    void theCommitRateSparklineUsesBlocksOnAUtf8Terminal() throws Exception {
        Future<ClusterStatus> run = start(committing(), null);
        await(() -> output().contains("commits: "), "the commit rate line");
        // the sparkline's first character once a whole second is known: the highest level, the only rate
        await(() -> output().contains("█"), "a sparkline in blocks");
        type('q');
        run.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        assertFalse(output().contains("#"), "no ASCII levels: " + output());
    }

    @Test
    void theCommitRateSparklineIsAsciiOnATerminalThatIsNotUtf8() throws Exception {
        terminal.close();
        keys.close();
        keys = new PipedOutputStream();
        terminal = new DumbTerminal("watch-test", "xterm-256color", new PipedInputStream(keys), screen,
                StandardCharsets.ISO_8859_1);
        terminal.setSize(new Size(100, 30));

        Future<ClusterStatus> run = start(committing(), null);
        await(() -> output().contains("commits: "), "the commit rate line");
        await(() -> output().contains("#"), "a sparkline in ASCII");
        type('q');
        run.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        // a block that Latin-1 cannot encode would arrive as '?'
        assertFalse(output().replace("\033[?", "").contains("?"), "no blocks: " + output().replace("\033", "ESC"));
    }

    @Test
    void aResizeRedrawsTheWholeScreenAtTheNewSize() throws Exception {
        Future<ClusterStatus> run = start(() -> Rounds.led("Node1", 2), null);
        await(() -> output().contains("leader is Node1 (term 2)"), "a frame down to its events");
        int clears = count(output(), CLEAR_SCREEN);
        int mark = output().length();

        terminal.setSize(new Size(30, 12));
        terminal.raise(Signal.WINCH);
        await(() -> count(output(), CLEAR_SCREEN) > clears, "a redraw from scratch");
        await(() -> output().substring(mark).contains("leader is Node1"), "the frame again, down to its events");
        type('q');
        run.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        String after = output().substring(mark);
        assertFalse(after.contains("(q or Ctrl-C to quit)"), "the title is cut at 29 columns: " + after);
        assertTrue(after.contains("raftctl watch  5 nodes (test)"), after);
    }

    @Test
    void anExceptionStillPutsTheTerminalBack() {
        Attributes before = new Attributes(terminal.getAttributes());

        Future<ClusterStatus> run = start(() -> {
            throw new IllegalStateException("boom");
        }, null);

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(WITHIN.toSeconds(), TimeUnit.SECONDS));
        assertEquals("boom", e.getCause().getMessage());
        assertTrue(output().endsWith(SHOW_CURSOR + EXIT_ALTERNATE_SCREEN), output());
        assertEquals(before.getLocalFlags(), terminal.getAttributes().getLocalFlags());
    }

    @Test
    void aDumbTerminalIsNotUsable() throws IOException {
        try (Terminal dumb = new DumbTerminal("dumb", Terminal.TYPE_DUMB, new PipedInputStream(), screen, UTF_8)) {
            assertFalse(FullScreenWatch.usable(dumb));
        }
        assertTrue(FullScreenWatch.usable(terminal));
    }
}

package dev.raftledger.raftctl.cluster;

import dev.raftledger.raftctl.Drawing;
import dev.raftledger.raftctl.client.ClusterHealth;
import dev.raftledger.raftctl.client.ClusterStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The terminal side of the full-screen {@code watch}: the alternate screen, a hidden cursor and
 * raw input while it runs, and the terminal as it was afterwards, however it ends ({@code q},
 * Ctrl-C, {@code --count}, an exception). What is drawn comes from {@link WatchScreen}, the
 * events from {@link WatchEvents}, the commit rate from {@link CommitRate} (its sparkline in
 * block elements on a UTF-8 terminal, else in ASCII).
 *
 * <p>The STATUS rounds run on their own thread, because a round with nodes down takes up to
 * two reply timeouts and cannot be interrupted (a datagram socket); meanwhile this thread keeps
 * answering keys and window resizes.
 */
final class FullScreenWatch {

    /** Events kept for the pane; far more than any screen shows. */
    static final int MAX_EVENTS = 500;
    /** The longest wait for a key before the round in flight and the window size are looked at again. */
    static final long TICK_MS = 50;
    private static final int CTRL_C = 3;
    private static final Size FALLBACK_SIZE = new Size(80, 24);

    private final Terminal terminal;
    private final Supplier<ClusterStatus> poll;
    private final String cluster;
    private final long intervalMs;
    private final Integer count;
    private final WatchScreen screen;

    /**
     * @param poll    one STATUS round
     * @param cluster how the header names the cluster, e.g. "5 nodes (--cluster)"
     * @param count   how many rounds before it ends by itself; null: until q or Ctrl-C
     */
    FullScreenWatch(Terminal terminal, Supplier<ClusterStatus> poll, String cluster, long intervalMs, Integer count,
                    ZoneId zone) {
        this(terminal, poll, cluster, intervalMs, count, zone, ClusterHealth.Limits.DEFAULT);
    }

    /** @param limits how far a member may trail the leader before it is shown degraded */
    FullScreenWatch(Terminal terminal, Supplier<ClusterStatus> poll, String cluster, long intervalMs, Integer count,
                    ZoneId zone, ClusterHealth.Limits limits) {
        this.terminal = terminal;
        this.poll = poll;
        this.cluster = cluster;
        this.intervalMs = intervalMs;
        this.count = count;
        this.screen = new WatchScreen(zone, limits, Drawing.canDraw(terminal));
    }

    /** Whether the terminal can address the cursor: a dumb one (a pipe, TERM=dumb, an IDE console) cannot. */
    static boolean usable(Terminal terminal) {
        String type = terminal.getType();
        return type != null && !type.startsWith(Terminal.TYPE_DUMB)
                && terminal.getStringCapability(Capability.cursor_address) != null;
    }

    /** Runs until q, Ctrl-C or the last of {@code count} rounds; returns the last round, null if none ended. */
    ClusterStatus run() {
        Thread loopThread = Thread.currentThread();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean resized = new AtomicBoolean();
        ExecutorService poller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftctl-watch-round");
            t.setDaemon(true); // a round in flight at the end finishes on its own within its timeouts
            return t;
        });
        Attributes saved = terminal.enterRawMode();
        SignalHandler previousInt = null;
        SignalHandler previousWinch = null;
        boolean alternateScreen = false;
        try {
            // Raw mode keeps ISIG, so Ctrl-C still arrives as a signal (and also as a key, below, if not)
            previousInt = terminal.handle(Signal.INT, s -> {
                stop.set(true);
                loopThread.interrupt();
            });
            previousWinch = terminal.handle(Signal.WINCH, s -> resized.set(true));
            alternateScreen = terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.cursor_invisible);
            terminal.flush();
            return loop(new Display(terminal, true), poller, stop, resized);
        } finally {
            poller.shutdownNow();
            terminal.puts(Capability.cursor_normal);
            if (alternateScreen) {
                terminal.puts(Capability.exit_ca_mode);
            } else {
                // no alternate screen: leave the last frame and put the prompt below it
                terminal.puts(Capability.cursor_address, size().getRows() - 1, 0);
                terminal.writer().println();
            }
            terminal.flush();
            terminal.setAttributes(saved);
            if (previousInt != null) {
                terminal.handle(Signal.INT, previousInt);
            }
            if (previousWinch != null) {
                terminal.handle(Signal.WINCH, previousWinch);
            }
        }
    }

    private ClusterStatus loop(Display display, ExecutorService poller, AtomicBoolean stop, AtomicBoolean resized) {
        Deque<WatchEvent> events = new ArrayDeque<>();
        CommitRate rate = new CommitRate(intervalMs);
        ClusterStatus last = null;
        WatchScreen.Frame frame = null;
        Future<ClusterStatus> round = null;
        int started = 0;
        long interval = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        long nextRound = System.nanoTime();
        Size drawn = draw(display, null, null);
        boolean inputOpen = true;
        while (!stop.get() && !Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (round == null && now - nextRound >= 0) {
                if (count != null && started >= count) {
                    break; // the last round stayed on the screen for one interval
                }
                round = poller.submit(poll::get);
                started++;
                nextRound += interval; // a fixed rate, as in the plain mode
            }
            if (round != null && round.isDone()) {
                ClusterStatus status = result(round);
                round = null;
                rate.add(System.nanoTime(), status);
                Instant time = Instant.now();
                events.addAll(WatchEvents.diff(last, status, time));
                while (events.size() > MAX_EVENTS) {
                    events.removeFirst();
                }
                last = status;
                frame = new WatchScreen.Frame(cluster, intervalMs, time, status, List.copyOf(events), rate.reading());
                drawn = draw(display, frame, drawn);
            }
            if (resized.getAndSet(false)) {
                drawn = draw(display, frame, null);
            }
            long untilNext = TimeUnit.NANOSECONDS.toMillis(nextRound - System.nanoTime());
            long wait = round != null ? TICK_MS : Math.max(1, Math.min(TICK_MS, untilNext));
            int key = inputOpen ? readKey(wait) : idle(wait);
            if (key == NonBlockingReader.EOF) {
                inputOpen = false; // no more keys will come; Ctrl-C (a signal) or --count ends it
            } else if (key == 'q' || key == 'Q' || key == CTRL_C) {
                break;
            }
        }
        return last;
    }

    /**
     * Puts the frame on the screen (a placeholder before the first round); a changed size is
     * drawn from scratch. Returns the size drawn at.
     */
    private Size draw(Display display, WatchScreen.Frame frame, Size before) {
        Size size = size();
        if (!size.equals(before)) {
            display.clear();
            display.resize(size.getRows(), size.getColumns());
        }
        // one column short of the edge: a full line would wrap, and on the last row scroll the screen
        int width = size.getColumns() - 1;
        List<AttributedString> lines = frame == null
                ? List.of(new AttributedString("raftctl watch: asking the nodes..."))
                : screen.render(frame, width, size.getRows());
        display.update(lines, 0);
        return size;
    }

    private Size size() {
        Size size = terminal.getSize();
        return size == null || size.getRows() < 1 || size.getColumns() < 2 ? FALLBACK_SIZE : size;
    }

    private int readKey(long waitMs) {
        try {
            return terminal.reader().read(waitMs);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt(); // Ctrl-C: the loop sees the flag
            return NonBlockingReader.READ_EXPIRED;
        } catch (IOException e) {
            return NonBlockingReader.EOF;
        }
    }

    /** Waits without reading once the input has ended; Ctrl-C's interrupt cuts it short. */
    private static int idle(long waitMs) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
        return NonBlockingReader.READ_EXPIRED;
    }

    private static ClusterStatus result(Future<ClusterStatus> round) {
        try {
            return round.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

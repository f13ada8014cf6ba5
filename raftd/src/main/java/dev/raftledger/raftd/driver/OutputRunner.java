package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.InstallSnapshot;
import dev.raftledger.raftd.core.CoreEvent;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.Outbound;
import dev.raftledger.raftd.core.Output;
import dev.raftledger.raftd.core.ReadResult;
import dev.raftledger.raftd.store.StoreException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Carries out one {@link Output} of the core, in the order {@link Output}'s javadoc prescribes,
 * through a node's {@link Effects}. The one place that order is written: raftd's event loop and
 * the simulator's nodes both run it, with their own effects (real storage, sockets and state
 * machine; simulated ones), so the simulator checks the order production uses, and a planted
 * bug is a faulty effect (a disk that says more is durable than is), not a copy of this code.
 *
 * <p>Threads: runs on the caller's thread (raftd: the event loop). Errors: a storage failure
 * from an effect ends the run at once and is the caller's to handle (raftd stops the node).
 */
public final class OutputRunner {

    /** What carrying out an output does, in the order it is done. */
    public interface Effects {
        /** 1. The term and vote, durably, before anything else. */
        void saveHardState(HardState state) throws StoreException;

        /** 2a. Drop the log from {@code index} on (durable at once). */
        void truncateFrom(long index) throws StoreException;

        /** 2b. Append to the log; durable later, by group commit. */
        void append(List<Entry> entries) throws StoreException;

        /** 3a. Send this node's latest snapshot to {@code peer}. */
        void sendSnapshot(String peer) throws StoreException;

        /**
         * 3b. Store a chunk of the leader's snapshot; the core's output once the chunk completed
         * an install (carried out next, before anything else of this output), else null.
         */
        Output snapshotChunk(InstallSnapshot chunk) throws StoreException;

        /** How far this node's log is durable, for the messages that wait on it. */
        long durableIndex();

        /** 4a. A message whose durability condition holds: send it now. */
        void send(Outbound message);

        /** 4b. A message that must wait until the log is durable to its index. */
        void defer(Outbound message);

        /**
         * 4c. Check whether a process still listens on {@code peer}'s port; if its host says none
         * does, tell the core ({@code RaftCore.leaderUnreachable}) later, as a new input.
         */
        void checkPort(String peer);

        /** 5. Apply one committed entry to the state machine, in index order. */
        void apply(Entry entry);

        /** 6. A read the core confirmed or refused. */
        void read(ReadResult result);

        /** 7. After a non-empty batch was applied: serve what waited on it, snapshot policy. */
        void applied(List<Entry> batch);

        /** 8. An event, to log and count. */
        void event(CoreEvent event) throws StoreException;
    }

    private OutputRunner() {}

    /**
     * More of the log is durable, to {@code durable}: sends the deferred messages it now covers, in
     * the order they were deferred, and drops those whose term the core has moved past
     * ({@code currentTerm}: the entries they acknowledge may have been replaced since). The caller
     * then tells the core ({@code RaftCore.persisted}) and runs that output.
     */
    public static void release(Collection<Outbound> deferred, long durable, long currentTerm,
                               Consumer<Outbound> send, Consumer<Outbound> dropped) {
        for (Iterator<Outbound> it = deferred.iterator(); it.hasNext(); ) {
            Outbound o = it.next();
            if (o.durableIndex() <= durable) {
                it.remove();
                if (o.message().term() >= currentTerm) {
                    send.accept(o);
                } else {
                    dropped.accept(o);
                }
            }
        }
    }

    /** Carries out {@code out} (and the output of a snapshot install it completes) through {@code fx}. */
    public static void run(Output out, Effects fx) throws StoreException {
        if (out.isEmpty()) {
            return;
        }
        if (out.hardState() != null) {
            fx.saveHardState(out.hardState());
        }
        if (out.truncateFrom() >= 0) {
            fx.truncateFrom(out.truncateFrom());
        }
        if (!out.append().isEmpty()) {
            fx.append(out.append());
        }
        for (String peer : out.sendSnapshot()) {
            fx.sendSnapshot(peer);
        }
        for (InstallSnapshot chunk : out.snapshotChunks()) {
            Output installed = fx.snapshotChunk(chunk);
            if (installed != null) {
                run(installed, fx); // the acknowledgement to the leader, once all is in place
            }
        }
        long durable = fx.durableIndex();
        for (Outbound o : out.messages()) {
            if (o.durableIndex() <= durable) {
                fx.send(o);
            } else {
                fx.defer(o);
            }
        }
        for (String peer : out.portChecks()) {
            fx.checkPort(peer);
        }
        for (Entry e : out.apply()) {
            fx.apply(e);
        }
        for (ReadResult r : out.reads()) {
            fx.read(r);
        }
        if (!out.apply().isEmpty()) {
            fx.applied(out.apply());
        }
        for (CoreEvent e : out.events()) {
            fx.event(e);
        }
    }
}

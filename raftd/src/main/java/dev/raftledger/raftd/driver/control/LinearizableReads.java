package dev.raftledger.raftd.driver.control;

import dev.raftledger.common.wire.ControllerMessage;
import dev.raftledger.raftd.core.ReadResult;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the leader serves linearizably: each waits for the core to confirm leadership
 * ({@link ReadResult}) and then for this node to have applied up to the read's index. Reads
 * that cannot be confirmed in time are refused, not left hanging.
 */
public final class LinearizableReads {

    static final long READ_TIMEOUT_MS = 5_000;

    /** A read waiting; {@code serve} builds its reply from the state once it may be served. */
    public record Waiting(long id, ControllerMessage request, InetSocketAddress replyTo, long since) {}

    /** What to do with a read: answer it from the state, or refuse it. */
    public interface Responder {
        void serve(Waiting read);

        void refuse(Waiting read, String why);
    }

    private long nextId = 1;
    private final Map<Long, Waiting> confirming = new HashMap<>();
    private final TreeMap<Long, List<Waiting>> awaitingApply = new TreeMap<>();

    long register(ControllerMessage request, InetSocketAddress replyTo, long now) {
        long id = nextId++;
        confirming.put(id, new Waiting(id, request, replyTo, now));
        return id;
    }

    public void onResult(ReadResult r, long applied, Responder responder) {
        Waiting w = confirming.remove(r.id());
        if (w == null) {
            return; // already timed out
        }
        if (!r.ok()) {
            responder.refuse(w, "leadership lost");
        } else if (r.index() <= applied) {
            responder.serve(w);
        } else {
            awaitingApply.computeIfAbsent(r.index(), i -> new ArrayList<>()).add(w);
        }
    }

    /** This node has applied up to {@code applied}: serve the confirmed reads that were waiting for it. */
    public void onApplied(long applied, Responder responder) {
        while (!awaitingApply.isEmpty() && awaitingApply.firstKey() <= applied) {
            awaitingApply.pollFirstEntry().getValue().forEach(responder::serve);
        }
    }

    public void expire(long now, Responder responder) {
        for (Iterator<Waiting> it = confirming.values().iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (now - w.since() > READ_TIMEOUT_MS) {
                it.remove();
                responder.refuse(w, "no majority confirmed this node's leadership within " + READ_TIMEOUT_MS + " ms");
            }
        }
    }
}

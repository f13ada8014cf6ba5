package dev.raftledger.raftd.driver;

import dev.raftledger.common.wire.Entry;
import dev.raftledger.common.wire.Payload;
import dev.raftledger.raftd.store.StoreException;
import dev.raftledger.raftd.store.log.LogRecord;
import dev.raftledger.raftd.store.log.SegmentedLog;
import java.util.ArrayList;
import java.util.List;

/** The segmented log as the event loop sees it: appends are handed to the persister to fsync. */
public final class DurableEntryLog implements EntryLog {

    private final SegmentedLog log;
    private Persister persister;

    DurableEntryLog(SegmentedLog log) {
        this.log = log;
    }

    void attach(Persister persister) {
        this.persister = persister;
    }

    /** Every entry of the log, to seed the core's copy at start. */
    public static List<Entry> readAll(SegmentedLog log) throws StoreException {
        return readFrom(log, log.firstIndex());
    }

    /** The entries from {@code from} on (those a snapshot does not cover). */
    public static List<Entry> readFrom(SegmentedLog log, long from) throws StoreException {
        List<Entry> entries = new ArrayList<>();
        long next = Math.max(from, log.firstIndex());
        while (next <= log.lastIndex()) {
            for (LogRecord r : log.read(next, log.lastIndex(), 4 << 20)) {
                entries.add(new Entry(r.index(), r.term(), Payload.ofJson(r.payload())));
                next = r.index() + 1;
            }
        }
        return entries;
    }

    @Override
    public void truncateFrom(long index) throws StoreException {
        log.truncateSuffix(index);
    }

    @Override
    public void append(List<Entry> entries) throws StoreException {
        List<LogRecord> records = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            records.add(new LogRecord(e.index(), e.term(), e.data().bytes()));
        }
        log.appendAll(records);
        persister.requestSync();
    }

    @Override
    public long durableIndex() {
        return log.durableIndex();
    }
}

package dev.raftledger.common.ledger;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The ledger's expenses by the log index that created them, iterated in index order: a sorted
 * map from long to {@link Expense}, made for what the ledger needs of it.
 *
 * <p>Why not a {@code TreeMap}: a snapshot starts with a copy taken on the event loop, and
 * copying a TreeMap of a million expenses took 60-180 ms (SnapshotBenchmark,
 * docs/benchmarks.md), more than a heartbeat interval. Here {@link #copy} copies only the
 * directory of chunks (one reference per {@value #CHUNK} expenses) and the chunks are shared,
 * copy-on-write. An entry also costs 12 bytes in arrays instead of 64 for a TreeMap entry and
 * its boxed key, and iterating walks arrays instead of chasing pointers.
 *
 * <p>Layout: chunks of at most {@value #CHUNK} entries, each non-empty, holding sorted keys and
 * their values in parallel arrays; the chunks in key order. Adds come in log order, above every
 * key, and fill the last chunk; an insert elsewhere (a snapshot listing its expenses out of
 * order) splits a full chunk in two; a chunk left small by deletes is merged with a neighbour.
 *
 * <p>Copy-on-write: each chunk knows which table may change it in place (an owner token).
 * {@link #copy} gives both tables new tokens, so every chunk that existed is shared and
 * read-only from then on, and the first change either table makes to a shared chunk clones
 * that one chunk first. So a copy handed to another thread is never changed under it.
 *
 * <p>Not thread-safe, like the ledger: one thread changes a table; a copy may be read by another.
 */
final class ExpenseTable implements Iterable<Expense> {

    /** Entries per chunk: a clone costs ~6 KiB, the directory one reference per this many expenses. */
    static final int CHUNK = 512;

    /** Neighbours whose entries fit in this many are merged, so deletes cannot leave many tiny chunks. */
    private static final int MERGE_BELOW = CHUNK / 2;

    private static final class Chunk {
        final Object owner;
        final long[] keys;
        final Expense[] values;
        int size;

        Chunk(Object owner) {
            this.owner = owner;
            this.keys = new long[CHUNK];
            this.values = new Expense[CHUNK];
        }

        Chunk(Object owner, Chunk from) {
            this.owner = owner;
            this.keys = from.keys.clone();
            this.values = from.values.clone();
            this.size = from.size;
        }

        long last() {
            return keys[size - 1];
        }
    }

    private Object owner = new Object();
    private Chunk[] chunks;
    private int count;
    private int size;

    ExpenseTable() {
        this(new Chunk[8], 0, 0);
    }

    private ExpenseTable(Chunk[] chunks, int count, int size) {
        this.chunks = chunks;
        this.count = count;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** How many chunks hold the entries (for tests: deletes must not leave a trail of tiny chunks). */
    int chunkCount() {
        return count;
    }

    /** An independent table with the same entries, in O(size / CHUNK): the chunks are shared copy-on-write. */
    ExpenseTable copy() {
        owner = new Object(); // what was ours is shared now
        return new ExpenseTable(Arrays.copyOf(chunks, Math.max(count, 8)), count, size);
    }

    Expense get(long key) {
        int c = chunkFor(key);
        if (c < 0) {
            return null;
        }
        Chunk ch = chunks[c];
        int i = Arrays.binarySearch(ch.keys, 0, ch.size, key);
        return i >= 0 ? ch.values[i] : null;
    }

    /** Maps {@code key} to {@code value}; returns the value it replaced, or null. */
    Expense put(long key, Expense value) {
        Objects.requireNonNull(value, "value");
        if (count == 0 || key > chunks[count - 1].last()) {
            append(key, value);
            return null;
        }
        int c = Math.max(chunkFor(key), 0); // below every key: the first chunk
        int i = Arrays.binarySearch(chunks[c].keys, 0, chunks[c].size, key);
        if (i >= 0) {
            Chunk ch = writable(c);
            Expense old = ch.values[i];
            ch.values[i] = value;
            return old;
        }
        int at = -i - 1;
        if (chunks[c].size == CHUNK) {
            split(c);
            if (at > chunks[c].size) {
                at -= chunks[c].size;
                c++;
            }
        }
        Chunk ch = writable(c);
        System.arraycopy(ch.keys, at, ch.keys, at + 1, ch.size - at);
        System.arraycopy(ch.values, at, ch.values, at + 1, ch.size - at);
        ch.keys[at] = key;
        ch.values[at] = value;
        ch.size++;
        size++;
        return null;
    }

    /** Removes {@code key}; returns the value it had, or null if it had none. */
    Expense remove(long key) {
        int c = chunkFor(key);
        if (c < 0) {
            return null;
        }
        int i = Arrays.binarySearch(chunks[c].keys, 0, chunks[c].size, key);
        if (i < 0) {
            return null;
        }
        Chunk ch = writable(c);
        Expense old = ch.values[i];
        System.arraycopy(ch.keys, i + 1, ch.keys, i, ch.size - i - 1);
        System.arraycopy(ch.values, i + 1, ch.values, i, ch.size - i - 1);
        ch.size--;
        ch.values[ch.size] = null; // not kept reachable by a stale slot
        size--;
        if (ch.size == 0) {
            removeChunk(c);
        } else if (c + 1 < count && ch.size + chunks[c + 1].size <= MERGE_BELOW) {
            mergeIntoPrevious(c + 1);
        } else if (c > 0 && chunks[c - 1].size + ch.size <= MERGE_BELOW) {
            mergeIntoPrevious(c);
        }
        return old;
    }

    @Override
    public Iterator<Expense> iterator() {
        return new Iterator<>() {
            private int c;
            private int i;

            @Override
            public boolean hasNext() {
                return c < count && i < chunks[c].size;
            }

            @Override
            public Expense next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Expense e = chunks[c].values[i++];
                if (i == chunks[c].size) {
                    c++;
                    i = 0;
                }
                return e;
            }
        };
    }

    private void append(long key, Expense value) {
        if (count == 0 || chunks[count - 1].size == CHUNK) {
            insertChunk(count, new Chunk(owner));
        }
        Chunk last = writable(count - 1);
        last.keys[last.size] = key;
        last.values[last.size] = value;
        last.size++;
        size++;
    }

    /** The last chunk whose first key is at most {@code key}; -1 if none (empty, or below every key). */
    private int chunkFor(long key) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (chunks[mid].keys[0] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Chunk {@code c}, cloned first if it is shared with a copy. */
    private Chunk writable(int c) {
        if (chunks[c].owner != owner) {
            chunks[c] = new Chunk(owner, chunks[c]);
        }
        return chunks[c];
    }

    /** Moves the upper half of full chunk {@code c} into a new chunk after it. */
    private void split(int c) {
        Chunk left = writable(c);
        Chunk right = new Chunk(owner);
        int keep = CHUNK / 2;
        int move = left.size - keep;
        System.arraycopy(left.keys, keep, right.keys, 0, move);
        System.arraycopy(left.values, keep, right.values, 0, move);
        Arrays.fill(left.values, keep, left.size, null);
        left.size = keep;
        right.size = move;
        insertChunk(c + 1, right);
    }

    /** Appends chunk {@code c}'s entries to chunk {@code c - 1} (they fit) and drops chunk {@code c}. */
    private void mergeIntoPrevious(int c) {
        Chunk into = writable(c - 1);
        Chunk from = chunks[c];
        System.arraycopy(from.keys, 0, into.keys, into.size, from.size);
        System.arraycopy(from.values, 0, into.values, into.size, from.size);
        into.size += from.size;
        removeChunk(c);
    }

    private void insertChunk(int at, Chunk ch) {
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
        }
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        chunks[at] = ch;
        count++;
    }

    private void removeChunk(int at) {
        System.arraycopy(chunks, at + 1, chunks, at, count - at - 1);
        chunks[--count] = null;
    }
}

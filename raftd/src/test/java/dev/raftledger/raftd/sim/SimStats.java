package dev.raftledger.raftd.sim;

/**
 * What one run (or, summed, many) did: proof that the checks had something to check. A run
 * that elected nobody, acknowledged no write or crashed nothing checks nothing.
 */
final class SimStats {
    long runs;
    long steps;
    long simulatedMs;
    long delivered;
    long dropped;
    long duplicated;
    long cut;
    long leadersElected;
    long committedEntries;
    long writesAcked;
    long retries;
    long redirects;
    long readsServed;
    long readsRefused;
    long crashes;
    long doubleCrashes;
    long crashesAtWorstMoment;
    long partitions;
    long isolations;
    long oneWayCuts;
    long heals;
    long forcedElections;
    long stepDowns;
    long transfers;
    long snapshotsInstalled;
    long membersAdded;
    long membersPromoted;
    long membersRemoved;
    long leadersRemoved;
    long changesRefused;
    /** The core's spurious "lost acknowledged entries" warnings (a reordered stale refusal): see SimulationTest. */
    long staleRefusalAnomalies;
    /** Simulated time from healing to a leader plus every client's write acknowledged (max over runs when summed). */
    long maxProgressMs;
    /** Simulated time from healing to full convergence (max over runs when summed). */
    long maxConvergeMs;

    void add(SimStats o) {
        runs += o.runs;
        steps += o.steps;
        simulatedMs += o.simulatedMs;
        delivered += o.delivered;
        dropped += o.dropped;
        duplicated += o.duplicated;
        cut += o.cut;
        leadersElected += o.leadersElected;
        committedEntries += o.committedEntries;
        writesAcked += o.writesAcked;
        retries += o.retries;
        redirects += o.redirects;
        readsServed += o.readsServed;
        readsRefused += o.readsRefused;
        crashes += o.crashes;
        doubleCrashes += o.doubleCrashes;
        crashesAtWorstMoment += o.crashesAtWorstMoment;
        partitions += o.partitions;
        isolations += o.isolations;
        oneWayCuts += o.oneWayCuts;
        heals += o.heals;
        forcedElections += o.forcedElections;
        stepDowns += o.stepDowns;
        transfers += o.transfers;
        snapshotsInstalled += o.snapshotsInstalled;
        membersAdded += o.membersAdded;
        membersPromoted += o.membersPromoted;
        membersRemoved += o.membersRemoved;
        leadersRemoved += o.leadersRemoved;
        changesRefused += o.changesRefused;
        staleRefusalAnomalies += o.staleRefusalAnomalies;
        maxProgressMs = Math.max(maxProgressMs, o.maxProgressMs);
        maxConvergeMs = Math.max(maxConvergeMs, o.maxConvergeMs);
    }

    @Override
    public String toString() {
        return runs + " runs, " + steps + " steps, " + simulatedMs / 1000 + " simulated s; messages: " + delivered
                + " delivered, " + dropped + " dropped, " + duplicated + " duplicated, " + cut + " cut by partitions; "
                + leadersElected + " leaders elected, " + committedEntries + " entries committed, " + writesAcked
                + " writes acknowledged (" + retries + " retries, " + redirects + " redirects), " + readsServed
                + " linearizable reads served (" + readsRefused + " refused); faults: " + crashes + " crashes ("
                + doubleCrashes + " double, " + crashesAtWorstMoment + " right after a vote or commit), "
                + partitions + " splits, " + isolations + " isolations, " + oneWayCuts + " one-way cuts, " + heals
                + " heals, " + forcedElections + " forced elections, " + stepDowns + " step-downs, "
                + transfers + " leadership transfers; " + snapshotsInstalled + " snapshots installed from a leader; "
                + "membership: " + membersAdded + " learners added, " + membersPromoted + " promoted, " + membersRemoved
                + " removed (" + leadersRemoved + " of them the leader), " + changesRefused + " changes refused; "
                + staleRefusalAnomalies + " spurious 'lost acknowledged entries' warnings; slowest recovery after "
                + "healing: leader and writes " + maxProgressMs + " ms, convergence " + maxConvergeMs + " ms";
    }
}

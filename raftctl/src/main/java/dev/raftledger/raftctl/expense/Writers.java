package dev.raftledger.raftctl.expense;

import dev.raftledger.common.ledger.Expense;
import java.util.List;

/**
 * Who made each write, as the ledger records it on a cluster with keys (created_by,
 * updated_by): for the tables and the CSV of {@code expense list} and {@code export}.
 */
final class Writers {

    private Writers() {}

    /** Whether any of {@code expenses} records who wrote it (a cluster with keys). */
    static boolean any(List<Expense> expenses) {
        for (Expense e : expenses) {
            if (e.createdBy() != null || e.updatedBy() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The BY cell: "alice" (added by alice, and edited by her if at all), "alice, edited by bob",
     * with "?" for a writer not recorded (no key, or a release before writers were recorded).
     */
    static String cell(Expense e) {
        String created = e.createdBy() == null ? "?" : e.createdBy();
        String updated = e.updatedBy() == null ? "?" : e.updatedBy();
        boolean edited = e.updatedIndex() != e.createdIndex();
        return !edited || created.equals(updated) ? created : created + ", edited by " + updated;
    }
}

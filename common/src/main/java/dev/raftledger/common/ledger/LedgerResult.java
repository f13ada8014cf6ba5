package dev.raftledger.common.ledger;

/**
 * The answer to one write, the same on every replica (it depends only on the log), and the
 * very value a retried write gets back.
 *
 * <ul>
 *   <li>ok: {@code id} is the expense added, edited or deleted; {@code expense} is it after
 *       the change (null after a delete); {@code error} and {@code message} are null.</li>
 *   <li>refused: {@code error} and {@code message} say why; {@code id} names the expense for
 *       {@link ErrorCode#NOT_FOUND} and is null otherwise; {@code expense} is null.</li>
 * </ul>
 */
public record LedgerResult(boolean ok, String id, Expense expense, ErrorCode error, String message) {

    public LedgerResult {
        if (ok && (error != null || message != null || id == null)) {
            throw new IllegalArgumentException("an ok result has an id and no error");
        }
        if (!ok && (error == null || message == null || expense != null)) {
            throw new IllegalArgumentException("an error result has an error code and message and no expense");
        }
        if (expense != null && !expense.id().equals(id)) {
            throw new IllegalArgumentException("result id " + id + " does not match expense " + expense.id());
        }
    }

    public static LedgerResult ok(String id, Expense expense) {
        return new LedgerResult(true, id, expense, null, null);
    }

    public static LedgerResult error(ErrorCode code, String id, String message) {
        return new LedgerResult(false, id, null, code, message);
    }

    public static LedgerResult error(LedgerException e) {
        return new LedgerResult(false, null, null, e.code(), e.getMessage());
    }

    @Override
    public String toString() {
        return ok ? "ok " + id + (expense == null ? " (deleted)" : " " + expense) : error + ": " + message;
    }
}

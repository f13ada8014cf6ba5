package dev.raftledger.common.ledger;

/**
 * A ledger input that is refused, with a message fit to show to the user ("amount: must be
 * greater than 0, got -5"). Like the wire codec's exception it carries no stack trace: bad
 * input is expected and may arrive often.
 */
public final class LedgerException extends Exception {

    private final ErrorCode code;
    private final String field;

    /** @param field the offending field's wire name, or null when the problem is not one field's */
    public LedgerException(ErrorCode code, String field, String message) {
        super(message, null, false, false);
        this.code = java.util.Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** An {@link ErrorCode#INVALID} refusal of one field; the message is prefixed with the field name. */
    public static LedgerException invalid(String field, String problem) {
        return new LedgerException(ErrorCode.INVALID, field, field == null ? problem : field + ": " + problem);
    }

    public ErrorCode code() {
        return code;
    }

    /** The wire name of the offending field, or null. */
    public String field() {
        return field;
    }
}

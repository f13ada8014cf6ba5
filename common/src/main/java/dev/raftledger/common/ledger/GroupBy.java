package dev.raftledger.common.ledger;

import java.util.Locale;

/** How {@link Ledger#totals} groups expenses. Written on the wire in lower case ("category", "month", "payer"). */
public enum GroupBy {
    CATEGORY,
    /** Calendar month of the expense's date, "yyyy-MM". */
    MONTH,
    PAYER;

    /** The group an expense falls in. */
    public String key(Expense e) {
        switch (this) {
            case CATEGORY:
                return e.category();
            case MONTH:
                return e.date().toString().substring(0, 7); // years are 1900-2999: always yyyy-MM-dd
            case PAYER:
                return e.payer();
            default:
                throw new AssertionError(this);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GroupBy fromWire(String s) throws LedgerException {
        if (s != null) {
            for (GroupBy g : values()) {
                if (g.wireName().equalsIgnoreCase(s.strip())) {
                    return g;
                }
            }
        }
        throw LedgerException.invalid("by", "must be one of category, month, payer, got '"
                + (s == null ? "null" : Validation.quote(s)) + "'");
    }
}

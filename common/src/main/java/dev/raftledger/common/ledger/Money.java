package dev.raftledger.common.ledger;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of one currency: a positive {@link BigDecimal} (never a float) of at most
 * {@link Validation#MAX_AMOUNT}, always held at its currency's scale (12.5 EUR is stored as
 * 12.50, 1000.0 JPY as 1000; see {@link Validation#amount(BigDecimal, Currency)}), so that two
 * equal amounts are equal records and print the same everywhere.
 *
 * <p>A Money is valid by construction: the constructor throws {@link IllegalArgumentException}
 * for a value the rules refuse; {@link #of} and {@link #parse} throw a {@link LedgerException}
 * with a user-facing message instead.
 */
public record Money(BigDecimal amount, Currency currency) {

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        try {
            amount = Validation.amount(amount, currency);
        } catch (LedgerException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static Money of(BigDecimal amount, Currency currency) throws LedgerException {
        return new Money(Validation.amount(amount, currency), Validation.currency(currency));
    }

    /** ("12.5", "EUR") -> 12.50 EUR. The amount is plain decimal text: no sign, exponent or separators. */
    public static Money parse(String amount, String currency) throws LedgerException {
        return Validation.money(amount, currency);
    }

    /** "12.50 EUR" (amount, one or more blanks, code) -> 12.50 EUR; the form {@link #toString()} writes. */
    public static Money parse(String text) throws LedgerException {
        if (text == null || text.isBlank()) {
            throw LedgerException.invalid("amount", "is required");
        }
        String[] parts = text.strip().split(" +");
        if (parts.length != 2) {
            throw LedgerException.invalid("amount", "must be an amount and a currency such as '12.50 EUR', got '"
                    + Validation.quote(text.strip()) + "'");
        }
        return Validation.money(parts[0], parts[1]);
    }

    /** The amount as plain decimal text at the currency's scale, e.g. "12.50"; the wire form. */
    public String amountText() {
        return amount.toPlainString();
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    /** "12.50 EUR". */
    @Override
    public String toString() {
        return amountText() + " " + currencyCode();
    }
}

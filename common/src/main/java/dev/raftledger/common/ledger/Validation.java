package dev.raftledger.common.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every rule a ledger input must pass, in one place. {@link LedgerCodec} applies them when a
 * request is decoded (so a leader refuses bad input before it reaches the log), and
 * {@link Ledger#apply} applies them again to each command it executes (so an invalid command
 * that reaches the log anyway becomes an error result, the same on every replica, and never an
 * exception).
 *
 * <p>Each method returns the normalised value (text stripped, amount at its currency's scale)
 * or throws a {@link LedgerException} of code {@link ErrorCode#INVALID} whose message starts
 * with the field's wire name. The rules use nothing that differs between replicas: no locale,
 * no clock, and character classes fixed here rather than taken from the JDK's Unicode tables.
 */
public final class Validation {

    /** The largest amount accepted, in any currency; anything above is taken for a typo. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    /** Decimal places allowed for currencies without a fixed minor unit (gold, SDR, ...). */
    public static final int MAX_FRACTION_DIGITS_UNFIXED = 4;
    /** Longest amount text accepted before any parsing. */
    public static final int MAX_AMOUNT_TEXT = 40;
    public static final int MAX_CATEGORY_LENGTH = 64;
    public static final int MAX_PAYER_LENGTH = 64;
    public static final int MAX_DESCRIPTION_LENGTH = 500;
    public static final int MAX_CLIENT_ID_LENGTH = 64;
    public static final int MIN_YEAR = 1900;
    public static final int MAX_YEAR = 2999;
    /** Sequence numbers, log indices and terms stay below 2^53 so that every JSON reader keeps them exact. */
    public static final long MAX_COUNTER = (1L << 53) - 1;

    private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern SIGNED_AMOUNT = Pattern.compile("[-+][0-9]+(\\.[0-9]+)?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final Pattern DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]+");
    /** An identity's name: an operator's (as the operators file allows them) or "node". */
    private static final Pattern WRITER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
    /** The longest identity name, as the operators file allows them. */
    public static final int MAX_WRITER_LENGTH = 64;

    private Validation() {}

    // ---- money ------------------------------------------------------------------------------

    /** Parses an amount and a currency code given as text, e.g. ("12.5", "EUR") -> 12.50 EUR. */
    public static Money money(String amount, String currency) throws LedgerException {
        BigDecimal a = amount(amount);
        Currency c = currency(currency);
        return Money.of(a, c);
    }

    /**
     * The syntax of an amount: ASCII digits with an optional fraction, nothing else (no sign,
     * exponent, thousands separator, NaN or infinity). Range and scale are checked by
     * {@link #amount(BigDecimal, Currency)}.
     */
    public static BigDecimal amount(String text) throws LedgerException {
        if (text == null) {
            throw LedgerException.invalid("amount", "is required");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw LedgerException.invalid("amount", "must not be empty");
        }
        if (s.length() > MAX_AMOUNT_TEXT) {
            throw LedgerException.invalid("amount", "is too long (" + s.length() + " characters)");
        }
        if (SIGNED_AMOUNT.matcher(s).matches()) {
            if (s.charAt(0) == '-' && new BigDecimal(s).signum() != 0) {
                throw LedgerException.invalid("amount", "must be greater than 0, got " + s);
            }
            throw LedgerException.invalid("amount", "must be written without a sign, got '" + s + "'");
        }
        if (!AMOUNT.matcher(s).matches()) {
            throw LedgerException.invalid("amount", "must be a plain decimal number such as 12.50"
                    + " (digits and an optional '.', no sign, exponent or thousands separator), got '"
                    + quote(s) + "'");
        }
        return new BigDecimal(s);
    }

    /**
     * Range and scale of an amount in a currency; returns it at the currency's scale (12.5 EUR
     * -> 12.50, 1000.0 JPY -> 1000). Currencies without a fixed minor unit (XAU, XDR, ...)
     * allow {@value #MAX_FRACTION_DIGITS_UNFIXED} decimal places and keep the fewest that are
     * exact (1.2500 XAU -> 1.25).
     */
    public static BigDecimal amount(BigDecimal amount, Currency currency) throws LedgerException {
        if (amount == null) {
            throw LedgerException.invalid("amount", "is required");
        }
        currency(currency);
        if (amount.signum() <= 0) {
            throw LedgerException.invalid("amount", "must be greater than 0, got " + shortPlain(amount));
        }
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw LedgerException.invalid("amount", "must be at most " + MAX_AMOUNT.toPlainString()
                    + ", got " + shortPlain(amount));
        }
        int digits = currency.getDefaultFractionDigits();
        int allowed = digits >= 0 ? digits : MAX_FRACTION_DIGITS_UNFIXED;
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > allowed) {
            throw LedgerException.invalid("amount", currency.getCurrencyCode() + " allows at most " + allowed
                    + " decimal place" + (allowed == 1 ? "" : "s") + ", got " + shortPlain(amount));
        }
        if (digits >= 0) {
            return amount.setScale(digits, RoundingMode.UNNECESSARY);
        }
        return stripped.scale() < 0 ? stripped.setScale(0, RoundingMode.UNNECESSARY) : stripped;
    }

    /** An ISO 4217 code (three letters, case ignored) the JDK knows, except XXX (no currency) and XTS (testing). */
    public static Currency currency(String code) throws LedgerException {
        if (code == null) {
            throw LedgerException.invalid("currency", "is required");
        }
        String s = code.strip();
        if (s.isEmpty()) {
            throw LedgerException.invalid("currency", "must not be empty");
        }
        if (!CURRENCY.matcher(s).matches()) {
            throw LedgerException.invalid("currency", "must be a three-letter ISO 4217 code such as EUR, got '"
                    + quote(s) + "'");
        }
        String upper = s.toUpperCase(Locale.ROOT);
        Currency c;
        try {
            c = Currency.getInstance(upper);
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid("currency", "unknown ISO 4217 currency code '" + upper + "'");
        }
        return currency(c);
    }

    public static Currency currency(Currency c) throws LedgerException {
        if (c == null) {
            throw LedgerException.invalid("currency", "is required");
        }
        String code = c.getCurrencyCode();
        if (code.equals("XXX") || code.equals("XTS")) {
            throw LedgerException.invalid("currency", code + " is not a currency one can spend");
        }
        return c;
    }

    // ---- text -------------------------------------------------------------------------------

    public static String category(String s) throws LedgerException {
        return text("category", s, 1, MAX_CATEGORY_LENGTH);
    }

    public static String payer(String s) throws LedgerException {
        return text("payer", s, 1, MAX_PAYER_LENGTH);
    }

    /** A description may be empty; an absent one (null) is the empty text. */
    public static String description(String s) throws LedgerException {
        return text("description", s == null ? "" : s, 0, MAX_DESCRIPTION_LENGTH);
    }

    /**
     * Free text: surrounding white space stripped, then {@code min}..{@code max} characters
     * (code points, so an emoji counts once). Refused anywhere in it: control characters
     * (U+0000-U+001F, U+007F-U+009F: tabs and line breaks included), the line and paragraph
     * separators U+2028/U+2029, and unpaired surrogates.
     */
    public static String text(String field, String value, int min, int max) throws LedgerException {
        if (value == null) {
            throw LedgerException.invalid(field, "is required");
        }
        String s = value.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                throw LedgerException.invalid(field, "must not contain control characters (found U+"
                        + hex4(c) + " at position " + (i + 1) + ")");
            }
            if (c == '\u2028' || c == '\u2029') {
                throw LedgerException.invalid(field, "must not contain line or paragraph separators");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw LedgerException.invalid(field, "is not valid Unicode (unpaired surrogate U+" + hex4(c) + ")");
            }
        }
        int n = s.codePointCount(0, s.length());
        if (n < min) {
            throw LedgerException.invalid(field, min == 1 ? "must not be empty" : "must be at least " + min + " characters");
        }
        if (n > max) {
            throw LedgerException.invalid(field, "must be at most " + max + " characters, got " + n);
        }
        return s;
    }

    // ---- dates ------------------------------------------------------------------------------

    /** An ISO 8601 calendar date, exactly yyyy-MM-dd, that exists, in years {@value #MIN_YEAR}-{@value #MAX_YEAR}. */
    public static LocalDate date(String text) throws LedgerException {
        if (text == null) {
            throw LedgerException.invalid("date", "is required");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw LedgerException.invalid("date", "must not be empty");
        }
        var m = DATE.matcher(s);
        if (!m.matches()) {
            throw LedgerException.invalid("date", "must be an ISO 8601 date yyyy-MM-dd such as 2026-11-25, got '"
                    + quote(s) + "'");
        }
        LocalDate d;
        try {
            d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw LedgerException.invalid("date", s + " is not a valid calendar date");
        }
        return date(d);
    }

    public static LocalDate date(LocalDate d) throws LedgerException {
        if (d == null) {
            throw LedgerException.invalid("date", "is required");
        }
        if (d.getYear() < MIN_YEAR || d.getYear() > MAX_YEAR) {
            throw LedgerException.invalid("date", "year must be between " + MIN_YEAR + " and " + MAX_YEAR
                    + ", got " + d);
        }
        return d;
    }

    // ---- identities -------------------------------------------------------------------------

    /** 1-{@value #MAX_CLIENT_ID_LENGTH} characters from [A-Za-z0-9._:-], taken exactly as given. */
    public static String clientId(String id) throws LedgerException {
        if (id == null) {
            throw LedgerException.invalid("client_id", "is required");
        }
        if (id.isEmpty()) {
            throw LedgerException.invalid("client_id", "must not be empty");
        }
        if (id.length() > MAX_CLIENT_ID_LENGTH) {
            throw LedgerException.invalid("client_id", "must be at most " + MAX_CLIENT_ID_LENGTH
                    + " characters, got " + id.length());
        }
        if (!CLIENT_ID.matcher(id).matches()) {
            throw LedgerException.invalid("client_id", "may contain only letters, digits and . _ : -, got '"
                    + quote(id) + "'");
        }
        return id;
    }

    /**
     * The name of the identity that made a write ({@code by} in a log entry's stamp,
     * {@code created_by}/{@code updated_by} in an expense): 1-{@value #MAX_WRITER_LENGTH}
     * characters, letters, digits and . _ @ -, starting with a letter or digit, as operator names
     * are. Returned unchanged.
     */
    public static String writer(String field, String name) throws LedgerException {
        if (name == null) {
            throw LedgerException.invalid(field, "is required");
        }
        if (name.isEmpty() || name.length() > MAX_WRITER_LENGTH || !WRITER.matcher(name).matches()) {
            throw LedgerException.invalid(field, "must be an identity's name: 1-" + MAX_WRITER_LENGTH
                    + " letters, digits and . _ @ -, starting with a letter or digit, got '" + quote(name) + "'");
        }
        return name;
    }

    public static long seq(long seq) throws LedgerException {
        if (seq < 1 || seq > MAX_COUNTER) {
            throw LedgerException.invalid("seq", "must be between 1 and " + MAX_COUNTER + ", got " + seq);
        }
        return seq;
    }

    /** An expense id as {@link ExpenseId} makes them; returns it unchanged. */
    public static String expenseId(String id) throws LedgerException {
        ExpenseId.index(id);
        return id;
    }

    // ---- whole values -----------------------------------------------------------------------

    /** A new expense: amount, category, payer and date required; description optional. */
    public static ExpenseDraft draft(ExpenseDraft d) throws LedgerException {
        if (d == null) {
            throw LedgerException.invalid(null, "the expense to add is missing");
        }
        Money amount = money(d.amount());
        return new ExpenseDraft(amount, category(d.category()), description(d.description()),
                payer(d.payer()), date(d.date()));
    }

    /** Changes to an expense: null fields stay as they are, at least one must be given. */
    public static ExpenseChanges changes(ExpenseChanges c) throws LedgerException {
        if (c == null || c.isEmpty()) {
            throw LedgerException.invalid(null, "nothing to change: give at least one of amount (with currency),"
                    + " category, description, payer, date");
        }
        return new ExpenseChanges(
                c.amount() == null ? null : money(c.amount()),
                c.category() == null ? null : category(c.category()),
                c.description() == null ? null : description(c.description()),
                c.payer() == null ? null : payer(c.payer()),
                c.date() == null ? null : date(c.date()));
    }

    /** A whole command, normalised; the client id and sequence number are checked first. */
    public static LedgerCommand command(LedgerCommand cmd) throws LedgerException {
        if (cmd == null) {
            throw LedgerException.invalid(null, "the command is missing");
        }
        String client = clientId(cmd.clientId());
        long seq = seq(cmd.seq());
        if (cmd instanceof LedgerCommand.Add add) {
            return new LedgerCommand.Add(client, seq, draft(add.expense()));
        } else if (cmd instanceof LedgerCommand.Edit edit) {
            return new LedgerCommand.Edit(client, seq, expenseId(edit.id()), changes(edit.changes()));
        } else if (cmd instanceof LedgerCommand.Delete delete) {
            return new LedgerCommand.Delete(client, seq, expenseId(delete.id()));
        }
        throw LedgerException.invalid("op", "unknown command type");
    }

    /**
     * A stored expense (from a snapshot or a result): every field, the writers' names where
     * given, and the id matching its creating index.
     */
    public static Expense expense(Expense e) throws LedgerException {
        if (e == null) {
            throw LedgerException.invalid(null, "the expense is missing");
        }
        long index = ExpenseId.index(e.id());
        counter("created_index", e.createdIndex(), 0);
        counter("updated_index", e.updatedIndex(), 0);
        counter("created_term", e.createdTerm(), 0);
        counter("updated_term", e.updatedTerm(), 0);
        if (index != e.createdIndex()) {
            throw LedgerException.invalid("id", "must be " + ExpenseId.of(e.createdIndex())
                    + " for an expense created at index " + e.createdIndex() + ", got " + e.id());
        }
        if (e.updatedIndex() < e.createdIndex()) {
            throw LedgerException.invalid("updated_index", "must not be below created_index " + e.createdIndex()
                    + ", got " + e.updatedIndex());
        }
        if (e.createdBy() != null) {
            writer("created_by", e.createdBy());
        }
        if (e.updatedBy() != null) {
            writer("updated_by", e.updatedBy());
        }
        return new Expense(e.id(), money(e.amount()), category(e.category()), description(e.description()),
                payer(e.payer()), date(e.date()), e.createdTerm(), e.createdIndex(), e.updatedTerm(), e.updatedIndex(),
                e.createdBy(), e.updatedBy());
    }

    static long counter(String field, long v, long min) throws LedgerException {
        if (v < min || v > MAX_COUNTER) {
            throw LedgerException.invalid(field, "must be between " + min + " and " + MAX_COUNTER + ", got " + v);
        }
        return v;
    }

    private static Money money(Money m) throws LedgerException {
        if (m == null) {
            throw LedgerException.invalid("amount", "is required");
        }
        return m; // a Money is valid by construction
    }

    // ---- message helpers --------------------------------------------------------------------

    /** User input quoted in a message: at most 40 characters, control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        int limit = Math.min(s.length(), 40);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                b.append("\\u").append(hex4(c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > limit) {
            b.append("...");
        }
        return b.toString();
    }

    private static String shortPlain(BigDecimal d) {
        // an amount built in code may be 1E+999999999: its plain form would be a gigabyte
        if (d.precision() - d.scale() > 30 || d.scale() > 30) {
            return d.toString();
        }
        return d.toPlainString();
    }

    private static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase(Locale.ROOT);
        return "0000".substring(h.length()) + h;
    }
}

package dev.raftledger.common.ledger;

import static dev.raftledger.common.ledger.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
        "12.50, EUR, 12.50 EUR",
        "12.5, EUR, 12.50 EUR",
        "12, EUR, 12.00 EUR",
        "0.01, EUR, 0.01 EUR",
        "12.500, EUR, 12.50 EUR",
        "0012.5, EUR, 12.50 EUR",
        "1000, JPY, 1000 JPY",
        "1000.0, JPY, 1000 JPY",
        "1.234, BHD, 1.234 BHD",
        "1.2, BHD, 1.200 BHD",
        "1.2500, XAU, 1.25 XAU",
        "1.2345, XAU, 1.2345 XAU",
        "100, XAU, 100 XAU",
        "1000000000, USD, 1000000000.00 USD",
        "12.50, eur, 12.50 EUR",
        "' 7.5 ', ' usd ', 7.50 USD",
    })
    void parsesAndNormalisesToTheCurrencyScale(String amount, String currency, String expected) throws Exception {
        Money m = Money.parse(amount, currency);
        assertEquals(expected, m.toString());
        assertEquals(m, Money.parse(expected), "toString parses back to the same value");
    }

    @Test
    void scaleFollowsTheCurrency() throws Exception {
        assertEquals(2, Money.parse("3", "EUR").amount().scale());
        assertEquals(0, Money.parse("3", "JPY").amount().scale());
        assertEquals(3, Money.parse("3", "BHD").amount().scale());
        assertEquals("12.50", Money.parse("12.5", "EUR").amountText());
        assertEquals("EUR", Money.parse("12.5", "EUR").currencyCode());
    }

    @Test
    void equalAmountsAreEqualRecords() throws Exception {
        assertEquals(Money.parse("12.5", "EUR"), Money.parse("12.50", "EUR"));
        assertEquals(Money.parse("12.5", "EUR").hashCode(), Money.parse("12.500", "EUR").hashCode());
        assertNotEquals(Money.parse("12.50", "EUR"), Money.parse("12.50", "USD"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "000"})
    void zeroIsRefused(String amount) {
        refused("amount", "must be greater than 0", () -> Money.parse(amount, "EUR"));
    }

    @Test
    void negativeIsRefused() {
        refused("amount", "must be greater than 0, got -5", () -> Money.parse("-5", "EUR"));
        refused("amount", "must be greater than 0, got -0.01", () -> Money.parse("-0.01", "EUR"));
        refused("amount", "without a sign", () -> Money.parse("+5", "EUR"));
    }

    @Test
    void absurdAmountsAreRefused() {
        refused("amount", "must be at most 1000000000, got 1000000000.01", () -> Money.parse("1000000000.01", "EUR"));
        refused("amount", "must be at most 1000000000", () -> Money.parse("99999999999999", "JPY"));
        refused("amount", "too long", () -> Money.parse("1".repeat(41), "EUR"));
    }

    @ParameterizedTest
    @CsvSource({
        "12.345, EUR, EUR allows at most 2 decimal places, got 12.345",
        "1.5, JPY, JPY allows at most 0 decimal places, got 1.5",
        "1.2345, BHD, BHD allows at most 3 decimal places",
        "1.23456, XAU, XAU allows at most 4 decimal places",
        "0.001, EUR, EUR allows at most 2 decimal places",
    })
    void tooManyDecimalsAreRefused(String amount, String currency, String message) {
        refused("amount", message, () -> Money.parse(amount, currency));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e3", "1E3", "1.5e2", "NaN", "Infinity", "-Infinity", "1,000.00", "1 000", "12.",
        ".5", "0x10", "12,50", "\u0661\u0662", "\uFF11\uFF12", "12.50 EUR", "1_000", "--1"})
    void onlyPlainDecimalTextIsAnAmount(String amount) {
        refused("amount", "plain decimal number", () -> Money.parse(amount, "EUR"));
    }

    @Test
    void missingOrEmptyAmountIsRefused() {
        refused("amount", "is required", () -> Money.parse(null, "EUR"));
        refused("amount", "must not be empty", () -> Money.parse("", "EUR"));
        refused("amount", "must not be empty", () -> Money.parse("   ", "EUR"));
    }

    @Test
    void unknownOrMalformedCurrencyIsRefused() {
        refused("currency", "unknown ISO 4217 currency code 'ABC'", () -> Money.parse("1", "ABC"));
        refused("currency", "unknown ISO 4217 currency code 'QQQ'", () -> Money.parse("1", "qqq"));
        refused("currency", "three-letter ISO 4217 code", () -> Money.parse("1", "EURO"));
        refused("currency", "three-letter ISO 4217 code", () -> Money.parse("1", "E1R"));
        refused("currency", "three-letter ISO 4217 code", () -> Money.parse("1", "€"));
        refused("currency", "not a currency", () -> Money.parse("1", "XXX"));
        refused("currency", "not a currency", () -> Money.parse("1", "XTS"));
        refused("currency", "is required", () -> Money.parse("1", null));
        refused("currency", "must not be empty", () -> Money.parse("1", ""));
    }

    @Test
    void amountAndCurrencyInOneText() throws Exception {
        assertEquals("12.50 EUR", Money.parse("  12.5   EUR ").toString());
        refused("amount", "such as '12.50 EUR'", () -> Money.parse("12.50"));
        refused("amount", "such as '12.50 EUR'", () -> Money.parse("12.50 EUR extra"));
        refused("amount", "is required", () -> Money.parse(" "));
    }

    @Test
    void constructedFromBigDecimalIsNormalisedOrRefused() throws Exception {
        Currency eur = Currency.getInstance("EUR");
        assertEquals("12.50 EUR", new Money(new BigDecimal("12.5"), eur).toString());
        assertEquals("1000.00 EUR", Money.of(new BigDecimal("1E+3"), eur).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Money(new BigDecimal("-1"), eur));
        assertTrue(e.getMessage().contains("must be greater than 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Money(BigDecimal.ONE, Currency.getInstance("XXX")));
        assertThrows(NullPointerException.class, () -> new Money(null, eur));
        // a value with an enormous scale is refused with a short message, not a gigabyte of zeros
        LedgerException tiny = refused("amount", "EUR allows at most 2 decimal places",
                () -> Money.of(new BigDecimal("1E-999999999"), eur));
        assertTrue(tiny.getMessage().length() < 200, tiny.getMessage());
        LedgerException huge = refused("amount", "at most", () -> Money.of(new BigDecimal("1E+999999999"), eur));
        assertTrue(huge.getMessage().length() < 200, huge.getMessage());
    }
}

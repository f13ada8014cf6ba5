package dev.raftledger.common.ledger;

import java.time.LocalDate;

/**
 * The user's part of a new expense: what an add carries. Any field may be null here (a
 * command read from somewhere untrusted); {@link Validation#draft} decides what is acceptable
 * (amount, category, payer and date required; a null description is the empty text).
 */
public record ExpenseDraft(Money amount, String category, String description, String payer, LocalDate date) {
}

package dev.raftledger.raftd.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.raftd.metrics.PrometheusText.Type;
import org.junit.jupiter.api.Test;

/** The text format writer, byte for byte: families, labels, escaping, histograms, numbers. */
class PrometheusTextTest {

    @Test
    void writesASmallRegistryExactly() {
        Histogram h = new Histogram(new double[] {0.001, 0.01, 0.1});
        h.observeNanos(500_000);      // 0.0005 s: every bucket
        h.observeNanos(1_000_000);    // exactly 0.001 s: le is inclusive, so the first bucket too
        h.observeNanos(50_000_000);   // 0.05 s: from 0.1 on
        h.observeNanos(2_000_000_000); // 2 s: only +Inf
        String text = new PrometheusText()
                .single("raftd_term", Type.GAUGE, "Current term.", 7)
                .family("raftd_state", Type.GAUGE, "Role.")
                .sample("raftd_state", 1, "state", "leader")
                .sample("raftd_state", 0, "state", "follower")
                .single("raftd_votes_granted_total", Type.COUNTER, "Votes.", 3)
                .histogram("raftd_log_fsync_seconds", "Fsync time.", h.snapshot())
                .text();
        assertEquals("""
                # HELP raftd_term Current term.
                # TYPE raftd_term gauge
                raftd_term 7
                # HELP raftd_state Role.
                # TYPE raftd_state gauge
                raftd_state{state="leader"} 1
                raftd_state{state="follower"} 0
                # HELP raftd_votes_granted_total Votes.
                # TYPE raftd_votes_granted_total counter
                raftd_votes_granted_total 3
                # HELP raftd_log_fsync_seconds Fsync time.
                # TYPE raftd_log_fsync_seconds histogram
                raftd_log_fsync_seconds_bucket{le="0.001"} 2
                raftd_log_fsync_seconds_bucket{le="0.01"} 2
                raftd_log_fsync_seconds_bucket{le="0.1"} 3
                raftd_log_fsync_seconds_bucket{le="+Inf"} 4
                raftd_log_fsync_seconds_sum 2.0515
                raftd_log_fsync_seconds_count 4
                """, text);
        ParsedExposition.parse(text); // and the strict reader accepts it
    }

    @Test
    void escapesLabelValuesAndHelp() {
        String text = new PrometheusText()
                .family("raftd_info", Type.GAUGE, "Back\\slash and\nnewline; \"quotes\" stay.")
                .sample("raftd_info", 1, "node", "a\\b\"c\nd")
                .text();
        assertEquals("""
                # HELP raftd_info Back\\\\slash and\\nnewline; "quotes" stay.
                # TYPE raftd_info gauge
                raftd_info{node="a\\\\b\\"c\\nd"} 1
                """, text);
        assertEquals("a\\b\"c\nd", ParsedExposition.parse(text).samples().get(0).labels().get("node"),
                "a reader unescapes to the original value");
    }

    @Test
    void numbersAreWrittenAsPrometheusReadsThem() {
        assertEquals("0", PrometheusText.number(0));
        assertEquals("-1", PrometheusText.number(-1));
        assertEquals("123456789012", PrometheusText.number(123_456_789_012L));
        assertEquals("0.00005", PrometheusText.number(0.00005));
        assertEquals("2.5", PrometheusText.number(2.5));
        assertEquals("1700000000.123", PrometheusText.number(1_700_000_000.123));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.number(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", PrometheusText.number(Double.NaN));
    }

    @Test
    void refusesWhatWouldMakeAScrapeUnparseable() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().family("raftd-term", Type.GAUGE, "x"));
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("1abc", 1));
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("a", 1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("a", 1, "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("a", 1, "odd"));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> new PrometheusText()
                .family("a", Type.GAUGE, "x").family("a", Type.GAUGE, "x"));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void anEmptyHistogramStillHasEveryBucketAndZeroSumAndCount() {
        String text = new PrometheusText()
                .histogram("h_seconds", "h.", new Histogram(new double[] {1}).snapshot()).text();
        assertEquals("""
                # HELP h_seconds h.
                # TYPE h_seconds histogram
                h_seconds_bucket{le="1"} 0
                h_seconds_bucket{le="+Inf"} 0
                h_seconds_sum 0
                h_seconds_count 0
                """, text);
    }
}

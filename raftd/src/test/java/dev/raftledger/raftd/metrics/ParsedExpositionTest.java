package dev.raftledger.raftd.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tests' strict reader must refuse what Prometheus would, or it proves nothing. */
class ParsedExpositionTest {

    private static void refused(String text, String why) {
        AssertionError e = assertThrows(AssertionError.class, () -> ParsedExposition.parse(text));
        assertTrue(e.getMessage().contains(why), "expected '" + why + "' in: " + e.getMessage());
    }

    @Test
    void acceptsAWellFormedExposition() {
        ParsedExposition p = ParsedExposition.parse("""
                # HELP a_total A.
                # TYPE a_total counter
                a_total{x="1"} 2
                a_total{x="2"} 3.5e0
                # TYPE h histogram
                h_bucket{le="0.5"} 1
                h_bucket{le="+Inf"} 2
                h_sum 0.7
                h_count 2
                """);
        assertEquals(3.5, p.value("a_total", "x", "2"));
        assertEquals("histogram", p.types().get("h"));
    }

    @Test
    void refusesMalformedExpositions() {
        refused("a 1", "line feed");
        refused("a 1\n", "sample outside its family");
        refused("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", "given twice");
        refused("# TYPE a gauge\n# TYPE a gauge\n", "second TYPE");
        refused("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# HELP a again\n", "split in two");
        refused("# TYPE a gauge\na{x=1} 1\n", "bad labels");
        refused("# TYPE a gauge\na{x=\"1\" y=\"2\"} 1\n", "not separated by commas");
        refused("# TYPE a gauge\na one\n", "bad value");
        refused("# TYPE a-b gauge\n", "bad comment");
        refused("# TYPE a_total counter\na_total -1\n", "negative counter");
        refused("# TYPE a gauge\nb 1\n", "sample outside its family");
    }

    @Test
    void refusesBrokenHistograms() {
        refused("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "must grow");
        refused("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "+Inf");
        refused("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
                "_count must equal");
        refused("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n", "_sum missing");
    }
}

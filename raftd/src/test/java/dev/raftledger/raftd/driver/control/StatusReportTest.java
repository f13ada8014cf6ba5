package dev.raftledger.raftd.driver.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raftledger.common.wire.AppendReply;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.StatusReply;
import dev.raftledger.common.wire.VoteAck;
import dev.raftledger.raftd.core.HardState;
import dev.raftledger.raftd.core.LogPosition;
import dev.raftledger.raftd.core.RaftCore;
import dev.raftledger.raftd.core.Role;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.DriverCounters;
import dev.raftledger.raftd.driver.space.ClusterAlarms;
import dev.raftledger.raftd.driver.space.DiskReading;
import dev.raftledger.raftd.driver.space.SpaceMonitor;
import dev.raftledger.raftd.driver.space.SpaceQuota;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The STATUS object's per-follower fields on a leader: {@code follower_heard_ms} says how long
 * ago the leader last heard from each follower (null: not yet in this term), so that raftctl
 * can tell a follower that hears the leader but cannot be heard by it (a one-way cut).
 */
class StatusReportTest {

    private static final List<String> FIVE = List.of("Node1", "Node2", "Node3", "Node4", "Node5");

    private static RaftCore node(String self, long now) {
        return new RaftCore(self, FIVE, Timings.SEED, new HardState(0, null), LogPosition.EMPTY,
                new SplittableRandom(7), now);
    }

    @Test
    void aLeaderReportsWhenItLastHeardFromEachFollower() {
        RaftCore leader = node("Node1", 0);
        leader.forceElection(100);
        leader.step(new VoteAck(leader.term(), true, "Node2", "Node1"), 100);
        leader.step(new VoteAck(leader.term(), true, "Node3", "Node1"), 100);
        assertEquals(Role.LEADER, leader.role());
        leader.step(AppendReply.accepted(leader.term(), "Node2", "Node1", 0), 150);
        leader.step(AppendReply.accepted(leader.term(), "Node3", "Node1", 0), 400);

        JsonNode o = StatusReport.of(leader.status(1_000), new DriverCounters(), "127.0.0.1", 1_000);

        JsonNode heard = o.get("follower_heard_ms");
        assertEquals(850, heard.get("Node2").asLong(), o.toString());
        assertEquals(600, heard.get("Node3").asLong());
        assertTrue(heard.get("Node4").isNull(), "not heard from in this term: " + heard);
        assertTrue(heard.get("Node5").isNull());
        assertFalse(heard.has("Node1"), "not itself");
        assertEquals(0, o.get("follower_match_index").get("Node2").asLong(), "the match index is still there");
    }

    @Test
    void aFollowerReportsNoFollowers() {
        RaftCore follower = node("Node2", 0);

        JsonNode o = StatusReport.of(follower.status(10), new DriverCounters(), "127.0.0.2", 10);

        assertFalse(o.has("follower_heard_ms"), o.toString());
        assertFalse(o.has("follower_match_index"));
    }

    /**
     * The STATUS object byte for byte as raftd sent it before the typed reply (issue 12), captured
     * from the old builder: field order, nulls and which maps are absent are part of the wire.
     * (Issue 13 added the counter cluster_id_mismatches at the end of the counters.)
     */
    @Test
    void theStatusObjectIsTheSameBytesAsBeforeTheTypedReply() {
        RaftCore leader = node("Node1", 0);
        leader.forceElection(100);
        leader.step(new VoteAck(leader.term(), true, "Node2", "Node1"), 100);
        leader.step(new VoteAck(leader.term(), true, "Node3", "Node1"), 100);
        leader.step(AppendReply.accepted(leader.term(), "Node2", "Node1", 0), 150);
        DriverCounters d = new DriverCounters();
        d.malformedDatagrams.incrementAndGet();
        d.controllerRequests.addAndGet(7);
        String version = dev.raftledger.common.BuildInfo.version();
        assertEquals(GOLDEN_LEADER.replace("VERSION", version),
                Codec.toJson(StatusReport.of(leader.status(1_000), d, "127.0.0.1", 1_000)));
        assertEquals(GOLDEN_FOLLOWER.replace("VERSION", version),
                Codec.toJson(StatusReport.of(node("Node2", 0).status(10), new DriverCounters(), "127.0.0.2", 10)));
        // and raftctl's decoding of it gives back the same object
        JsonNode o = StatusReport.of(leader.status(1_000), d, "127.0.0.1", 1_000);
        assertEquals(Codec.toJson((com.fasterxml.jackson.databind.node.ObjectNode) o),
                Codec.toJson(StatusReply.fromJson(o).toJson()));
    }

    /**
     * As raftd sends it: the same bytes, then the node's disk and the alarms it knows of (fields
     * only added, at the end), here its own alarm and a follower's; raftctl decodes them back.
     */
    @Test
    void theStatusObjectEndsWithTheDiskAndTheAlarms() {
        RaftCore follower = node("Node2", 0);
        SpaceQuota quota = new SpaceQuota(1_000, 100);
        SpaceMonitor monitor = new SpaceMonitor("Node2", quota, () -> new DiskReading(1_500, 9_000), () -> { });
        monitor.sample();
        ClusterAlarms alarms = new ClusterAlarms("Node2", monitor::state);
        alarms.reply("Node4", true, 5);
        String version = dev.raftledger.common.BuildInfo.version();
        String legacy = GOLDEN_FOLLOWER.replace("VERSION", version);
        String json = Codec.toJson(StatusReport.of(follower.status(10), new DriverCounters(), "127.0.0.2", 10, 0, null,
                alarms, 10));
        assertEquals(legacy.substring(0, legacy.length() - 2) + ",\"writes_refused_no_space\":0},\"disk\":{\"used_bytes\":1500,"
                + "\"free_bytes\":9000,\"quota_bytes\":1000,\"min_free_bytes\":100},\"alarms\":[{\"node\":\"Node2\","
                + "\"alarm\":\"NO_SPACE\",\"reason\":\"the data dir holds 1.5 KiB, over its quota of 1000 bytes "
                + "(--quota-bytes)\"},{\"node\":\"Node4\",\"alarm\":\"NO_SPACE\",\"reason\":\"its replies to this node say its "
                + "disk alarm is raised\"}]}", json);
        JsonNode o = StatusReport.of(follower.status(10), new DriverCounters(), "127.0.0.2", 10, 0, null, alarms, 10);
        StatusReply decoded = StatusReply.fromJson(o);
        assertEquals(new StatusReply.Disk(1_500L, 9_000L, 1_000L, 100L), decoded.disk());
        assertEquals(List.of("Node2", "Node4"), decoded.alarms().stream().map(StatusReply.Alarm::node).toList());
        assertEquals(json, Codec.toJson(decoded.toJson()));
        assertEquals(null, StatusReply.fromJson(StatusReport.of(follower.status(10), new DriverCounters(),
                "127.0.0.2", 10)).alarms(), "an older node says nothing of alarms: not the same as none");
    }

    private static final String GOLDEN_LEADER = "{\"name\":\"Node1\",\"address\":\"127.0.0.1\",\"state\":\"leader\",\"term\":1,\"voted_for\":\"Node1\",\"leader\":\"Node1\",\"heartbeat_age_ms\":900,\"last_log_index\":0,\"last_log_term\":1,\"log_length\":1,\"commit_index\":-1,\"applied_index\":-1,\"durable_index\":-1,\"log_first_index\":0,\"snapshot_index\":null,\"snapshot_term\":null,\"snapshot_size\":null,\"follower_match_index\":{\"Node2\":0,\"Node3\":-1,\"Node4\":-1,\"Node5\":-1},\"follower_heard_ms\":{\"Node2\":850,\"Node3\":null,\"Node4\":null,\"Node5\":null},\"uptime_ms\":1000,\"version\":\"VERSION\",\"counters\":{\"elections_started\":1,\"elections_won\":1,\"votes_granted\":0,\"votes_denied\":0,\"heartbeats_sent\":4,\"heartbeats_received\":0,\"stale_messages\":0,\"entries_appended\":0,\"appends_rejected\":0,\"malformed_datagrams\":1,\"unknown_senders\":0,\"unexpected_sources\":0,\"auth_failures\":0,\"forbidden\":0,\"controller_requests\":7,\"send_failures\":0,\"oversized_datagrams\":0,\"dropped_overload\":0,\"cluster_id_mismatches\":0}}";
    private static final String GOLDEN_FOLLOWER = "{\"name\":\"Node2\",\"address\":\"127.0.0.2\",\"state\":\"follower\",\"term\":0,\"voted_for\":null,\"leader\":null,\"heartbeat_age_ms\":null,\"last_log_index\":-1,\"last_log_term\":0,\"log_length\":0,\"commit_index\":-1,\"applied_index\":-1,\"durable_index\":-1,\"log_first_index\":0,\"snapshot_index\":null,\"snapshot_term\":null,\"snapshot_size\":null,\"uptime_ms\":10,\"version\":\"VERSION\",\"counters\":{\"elections_started\":0,\"elections_won\":0,\"votes_granted\":0,\"votes_denied\":0,\"heartbeats_sent\":0,\"heartbeats_received\":0,\"stale_messages\":0,\"entries_appended\":0,\"appends_rejected\":0,\"malformed_datagrams\":0,\"unknown_senders\":0,\"unexpected_sources\":0,\"auth_failures\":0,\"forbidden\":0,\"controller_requests\":0,\"send_failures\":0,\"oversized_datagrams\":0,\"dropped_overload\":0,\"cluster_id_mismatches\":0}}";
}

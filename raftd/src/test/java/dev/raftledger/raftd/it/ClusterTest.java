package dev.raftledger.raftd.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the integration tests that run the local five-node cluster: a fresh cluster per test,
 * its data and logs under target/it/TEST_NAME, every process killed afterwards.
 */
abstract class ClusterTest {

    LocalCluster cluster;

    @BeforeEach
    void startCluster(TestInfo test) throws Exception {
        Path dir = Path.of("target", "it", test.getTestMethod().orElseThrow().getName());
        LocalCluster.deleteRecursively(dir);
        cluster = LocalCluster.localFive(dir).startAll();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }
}

package dev.raftledger.raftd.nativeimage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.BuildInfo;
import dev.raftledger.raftd.Main;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native-image metadata raftd.jar and common.jar ship is complete and names nothing that does
 * not exist. No GraalVM here: this is the JVM-side proof, see docs/native-and-compose.md.
 */
class ReachabilityMetadataTest {

    /** The reflective calls in raftd itself (common's are in CommonAllowances). */
    static final List<Allowance> RAFTD = List.of(
            Allowance.of("dev.raftledger.raftd.RaftdCommand", "call", "sun.misc.Signal.handle",
                    Coverage.nativeImage("native-image implements sun.misc.Signal for executables (its own "
                            + "substitution); raftd installs its SIGTERM/SIGINT handlers (stop) and its SIGHUP "
                            + "handler (reload the keyring) itself, so no --install-exit-handlers is needed, also "
                            + "as PID 1 in a container")),
            Allowance.of("dev.raftledger.raftd.store.ClusterId", "derive", "java.security.MessageDigest.getInstance",
                    Coverage.nativeImage(CommonAllowances.JCA)));

    /** What raftd's dependencies need from the image that no call in our code shows. */
    static final List<Premise> DEPENDENCIES = List.of(
            new Premise("slf4j-api finds its logger with ServiceLoader (LoggerFactory.findServiceProviders)",
                    new Coverage.Services("org.slf4j.spi.SLF4JServiceProvider")),
            new Premise("ServiceLoader reads the provider list as a resource",
                    Coverage.resource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")),
            new Premise("slf4j-simple reads its settings by name (SimpleLoggerConfiguration.loadProperties)",
                    Coverage.resource("simplelogger.properties")),
            new Premise("prometheus-metrics-config looks for an optional prometheus.properties resource "
                    + "(PrometheusPropertiesLoader)", Coverage.nativeImage("raftd ships none: in the image, as on "
                    + "the JVM, the lookup finds nothing and the client keeps its defaults and raftd's settings")),
            new Premise("prometheus-metrics' exemplar support probes for OpenTelemetry (SpanContextSupplier catches "
                    + "the LinkageError of classes that are absent)", Coverage.nativeImage("raftd's histograms are "
                    + "built withoutExemplars(), so the probe does not run; native-image links the absent "
                    + "OpenTelemetry classes to a run-time NoClassDefFoundError, which the probe catches")));

    private static MetadataAudit audit;

    @BeforeAll
    static void scan() {
        ClassPathIndex classPath = ClassPathIndex.ofTestClassPath();
        audit = new MetadataAudit(classPath, List.of(classPath.rootOf(Main.class), classPath.rootOf(BuildInfo.class)));
    }

    static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }

    @Test
    void shippedMetadataNamesOnlyWhatExists() {
        assertTrue(audit.shipped().files().stream().anyMatch(f -> f.contains("picocli-generated/dev.raftledger/raftd/")),
                "picocli-codegen's configuration is in raftd's classes: " + audit.shipped().files());
        assertNoProblems(audit.checkMetadataNamesExisting());
    }

    @Test
    void everyReflectiveCallIsAllowedAndCovered() {
        List<Allowance> allowed = new ArrayList<>(CommonAllowances.LIST);
        allowed.addAll(RAFTD);
        assertNoProblems(audit.checkCallsCovered(allowed));
    }

    @Test
    void everythingPicocliReflectsOnIsRegistered() {
        List<Premise> picocli = PicocliRequirements.of(audit.ourClasses());
        // not vacuous: the options of RaftdCommand and the Path converter are among the requirements
        assertTrue(picocli.stream().anyMatch(p -> p.coverage().equals(
                Coverage.reflection("dev.raftledger.raftd.RaftdCommand", "dataDir"))), picocli.toString());
        assertTrue(picocli.stream().anyMatch(p -> p.coverage().equals(
                Coverage.reflection("java.nio.file.Paths", "get(java.lang.String,java.lang.String[])"))), picocli.toString());
        assertNoProblems(audit.checkPremises(picocli));
    }

    @Test
    void dependenciesNeedsAreCovered() {
        assertNoProblems(audit.checkPremises(DEPENDENCIES));
    }

    @Test
    void noJacksonDataBinding() {
        assertNoProblems(audit.checkNoDataBinding());
    }
}

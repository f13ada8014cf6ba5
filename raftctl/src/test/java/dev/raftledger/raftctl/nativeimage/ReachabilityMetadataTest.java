package dev.raftledger.raftctl.nativeimage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.raftledger.common.BuildInfo;
import dev.raftledger.raftctl.Main;
import dev.raftledger.raftd.nativeimage.Allowance;
import dev.raftledger.raftd.nativeimage.ClassPathIndex;
import dev.raftledger.raftd.nativeimage.CommonAllowances;
import dev.raftledger.raftd.nativeimage.Coverage;
import dev.raftledger.raftd.nativeimage.MetadataAudit;
import dev.raftledger.raftd.nativeimage.PicocliRequirements;
import dev.raftledger.raftd.nativeimage.Premise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native-image metadata raftctl.jar and common.jar ship is complete and names nothing that
 * does not exist (the checks are raftd's, in its test-jar). No GraalVM here: see
 * docs/native-and-compose.md.
 */
class ReachabilityMetadataTest {

    /** The reflective calls in raftctl itself (common's are in CommonAllowances). */
    static final List<Allowance> RAFTCTL = List.of(
            Allowance.of("dev.raftledger.raftctl.ClientState", "clientId", "java.security.SecureRandom.<init>",
                    Coverage.nativeImage("native-image's SecurityServicesFeature (on by default) registers the "
                            + "SecureRandom implementations; it is seeded at run time")),
            Allowance.of("dev.raftledger.raftctl.keys.Secrets", "newSecret", "java.security.SecureRandom.<init>",
                    Coverage.nativeImage("as ClientState's: SecurityServicesFeature registers the SecureRandom "
                            + "implementations, seeded at run time, so a secret made by a native raftctl is fresh")));

    /**
     * JLine finds its terminal providers by name (META-INF/services/org/jline/terminal/provider/*,
     * then Class.forName) and loads its JNI library from a resource; the jline jar ships the
     * metadata for that itself. If a JLine upgrade stops shipping it, these fail.
     */
    static final List<Premise> DEPENDENCIES = List.of(
            new Premise("JLine's exec terminal provider, loaded by name",
                    new Coverage.ShippedBy("org.jline/jline-terminal", "org.jline.terminal.impl.exec.ExecTerminalProvider")),
            new Premise("JLine's JNI terminal provider, loaded by name",
                    new Coverage.ShippedBy("org.jline/jline-terminal-jni", "org.jline.terminal.impl.jni.JniTerminalProvider")),
            new Premise("JLine's native library binding (JNI fields)",
                    new Coverage.ShippedBy("org.jline/jline-native", "org.jline.nativ.CLibrary")));

    private static MetadataAudit audit;

    @BeforeAll
    static void scan() {
        ClassPathIndex classPath = ClassPathIndex.ofTestClassPath();
        audit = new MetadataAudit(classPath, List.of(classPath.rootOf(Main.class), classPath.rootOf(BuildInfo.class)));
    }

    private static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }

    @Test
    void shippedMetadataNamesOnlyWhatExists() {
        assertTrue(audit.shipped().files().stream().anyMatch(f -> f.contains("picocli-generated/dev.raftledger/raftctl/")),
                "picocli-codegen's configuration is in raftctl's classes: " + audit.shipped().files());
        assertNoProblems(audit.checkMetadataNamesExisting());
    }

    @Test
    void everyReflectiveCallIsAllowedAndCovered() {
        List<Allowance> allowed = new ArrayList<>(CommonAllowances.LIST);
        allowed.addAll(RAFTCTL);
        assertNoProblems(audit.checkCallsCovered(allowed));
    }

    @Test
    void everythingPicocliReflectsOnIsRegistered() {
        List<Premise> picocli = PicocliRequirements.of(audit.ourClasses());
        // not vacuous: subcommands are instantiated by picocli, and --config is a Path
        assertTrue(picocli.stream().anyMatch(p -> p.coverage().equals(
                Coverage.reflection("dev.raftledger.raftctl.cluster.StatusCommand", "<init>()"))), picocli.toString());
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

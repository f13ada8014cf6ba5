package dev.raftledger.raftd.nativeimage;

import java.util.List;

/**
 * The reflective and load-by-name calls in common, which both raftd and raftctl ship, and what
 * covers each in a native image.
 */
public final class CommonAllowances {

    private CommonAllowances() {}

    /** How native-image covers the JCA lookups (GraalVM's "JCA Security Services" page). */
    static final String JCA = "native-image's SecurityServicesFeature (on by default) registers every JCA service "
            + "implementation of a type whose getInstance is reachable";

    public static final List<Allowance> LIST = List.of(
            Allowance.of("dev.raftledger.common.BuildInfo", "load", "java.lang.Class.getResourceAsStream",
                    Coverage.resource("dev/raftledger/common/build.properties")),
            Allowance.of("dev.raftledger.common.auth.Key", "fingerprint", "javax.crypto.Mac.getInstance",
                    Coverage.nativeImage(JCA)),
            Allowance.of("dev.raftledger.common.auth.SessionKey", "derive", "javax.crypto.Mac.getInstance",
                    Coverage.nativeImage(JCA)),
            Allowance.of("dev.raftledger.common.auth.Sealed", "newCipher", "javax.crypto.Cipher.getInstance",
                    Coverage.nativeImage(JCA + "; ChaCha20-Poly1305 is SunJCE's")),
            Allowance.of("dev.raftledger.common.auth.Sealer", "<init>", "java.security.SecureRandom.<init>",
                    Coverage.nativeImage(JCA + "; SecureRandom is seeded at run time (classes are initialised at run time)")),
            Allowance.of("dev.raftledger.common.auth.ClusterAuth", "<init>", "java.security.SecureRandom.<init>",
                    Coverage.nativeImage(JCA + "; SecureRandom is seeded at run time (classes are initialised at run time)")),
            Allowance.of("dev.raftledger.common.ledger.Ledger", "stateDigest", "java.security.MessageDigest.getInstance",
                    Coverage.nativeImage(JCA)),
            Allowance.of("dev.raftledger.common.backup.ExpensesDigest$Running", "<init>",
                    "java.security.MessageDigest.getInstance", Coverage.nativeImage(JCA)));
}

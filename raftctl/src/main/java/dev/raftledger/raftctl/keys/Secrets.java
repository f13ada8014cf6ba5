package dev.raftledger.raftctl.keys;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * New secrets and the names they go with, made offline. A secret is 32 bytes from
 * {@link SecureRandom} as 64 hex digits (256 bits, what {@code openssl rand -hex 32} gives; the
 * nodes accept at least 32 characters). Operator names follow the rule of the nodes' operators
 * files ({@code common.auth.Keyring}); KeysTest checks that both agree.
 */
final class Secrets {

    /** As Keyring's: letters, digits and {@code . _ @ -}, 1 to 64, starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    /** The name node keys go by (common.auth.Identity.NODE_NAME): no operator may take it. */
    static final String NODE_NAME = dev.raftledger.common.auth.Identity.NODE_NAME;

    static final int BYTES = 32;

    private Secrets() {}

    /** 64 fresh hex digits. */
    static String newSecret() {
        byte[] b = new byte[BYTES];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Why {@code name} cannot name an operator, or null if it can. */
    static String badName(String name) {
        if (name.equals(NODE_NAME)) {
            return "'" + NODE_NAME + "' is the name node keys go by; choose another";
        }
        if (!NAME.matcher(name).matches()) {
            return "'" + name + "' is not a valid operator name: 1-64 letters, digits and . _ @ -, starting with a "
                    + "letter or digit";
        }
        return null;
    }
}

package dev.raftledger.raftd.bench;

import dev.raftledger.common.auth.ClusterAuth;
import dev.raftledger.common.auth.Keyring;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What sealing costs on this JVM, one thread: (1) the two AEADs the JDK offers, AES-256-GCM and
 * ChaCha20-Poly1305, encrypting and decrypting messages of a heartbeat's size and of a full
 * 1,400-byte datagram (the numbers behind docs/security.md's choice of cipher); (2) raftledger's
 * whole path, {@link ClusterAuth#seal} then {@link ClusterAuth#open} (header, session key,
 * replay window included). Arguments: {@code --seconds S} per case (default 2).
 */
public final class SealBenchmark {

    private SealBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = BenchArgs.integer(args, "--seconds", 2);
        System.out.println("machine: " + Machine.describe());
        System.out.println("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        for (int size : new int[] {200, 1_400}) {
            cipher("AES/GCM/NoPadding", "AES", size, seconds);
            cipher("ChaCha20-Poly1305", "ChaCha20", size, seconds);
            whole(size, seconds);
        }
    }

    private static void cipher(String transformation, String keyAlgorithm, int size, double seconds) throws Exception {
        byte[] keyBytes = new byte[32];
        new Random(1).nextBytes(keyBytes);
        SecretKeySpec key = new SecretKeySpec(keyBytes, keyAlgorithm);
        Cipher enc = Cipher.getInstance(transformation);
        Cipher dec = Cipher.getInstance(transformation);
        byte[] msg = new byte[size];
        byte[] aad = new byte[42];
        long n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000; i++) {
                byte[] iv = new byte[12];
                ByteBuffer.wrap(iv, 4, 8).putLong(++n);
                var spec = keyAlgorithm.equals("AES") ? new GCMParameterSpec(128, iv) : new IvParameterSpec(iv);
                enc.init(Cipher.ENCRYPT_MODE, key, spec);
                enc.updateAAD(aad);
                byte[] ct = enc.doFinal(msg);
                dec.init(Cipher.DECRYPT_MODE, key, spec);
                dec.updateAAD(aad);
                dec.doFinal(ct);
            }
        }
        report(transformation, size, n, System.nanoTime() - t0);
    }

    private static void whole(int size, double seconds) {
        ClusterAuth sender = ClusterAuth.with(Keyring.of(List.of("0123456789abcdef0123456789abcdef"), Map.of()));
        ClusterAuth receiver = ClusterAuth.with(Keyring.of(List.of("0123456789abcdef0123456789abcdef"), Map.of()),
                "Node1", System::currentTimeMillis, 0);
        byte[] msg = new byte[size];
        java.util.Arrays.fill(msg, (byte) 'x');
        long n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        try {
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1_000; i++) {
                    byte[] d = sender.seal(msg, "Node1");
                    receiver.open(d, 0, d.length);
                    n++;
                }
            }
        } catch (dev.raftledger.common.auth.AuthException e) {
            throw new IllegalStateException(e);
        }
        report("raftledger seal+open (ChaCha20-Poly1305, v2)", size, n, System.nanoTime() - t0);
    }

    private static void report(String what, int size, long n, long nanos) {
        double perSecond = n / (nanos / 1e9);
        System.out.printf(Locale.ROOT, "%-46s %5d bytes: %,10.0f encrypt+decrypt/s, %6.2f us each, %7.1f MB/s%n",
                what, size, perSecond, 1e6 / perSecond, perSecond * size / 1e6);
    }
}

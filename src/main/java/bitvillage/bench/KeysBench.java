package bitvillage.bench;

import bitvillage.keys.Bip340;
import bitvillage.keys.Keys;
import bitvillage.util.python.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * BIP-340 on our own secp256k1 (issue 19): how long one signature takes to make and to verify.
 * The keys and messages are the same on every run (brain-wallet keys, hashed counters), so runs
 * differ only in the machine.
 */
final class KeysBench {
    private KeysBench() {}

    /** The milliseconds per signature, each the median of the rounds. */
    record Result(double signMillis, double verifyMillis) {}

    /** {@code rounds} rounds, each signing {@code perRound} messages with as many keys, then verifying them. */
    static Result measure(int rounds, int perRound) {
        byte[][] secrets = new byte[perRound][];
        byte[][] publicKeys = new byte[perRound][];
        byte[][] messages = new byte[perRound][];
        byte[][] signatures = new byte[perRound][];
        for (int i = 0; i < perRound; i++) {
            secrets[i] = Keys.fromSeed("bench villager " + i);
            publicKeys[i] = Bip340.publicKey(secrets[i]);
            messages[i] = Sha256.newDigest().digest(("payment " + i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] auxRand = new byte[Bip340.KEY_BYTES];
        double[] sign = new double[rounds];
        double[] verify = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) signatures[i] = Bip340.sign(secrets[i], messages[i], auxRand);
            long t1 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                if (!Bip340.verify(publicKeys[i], messages[i], signatures[i])) {
                    throw new IllegalStateException("a signature the bench made does not verify");
                }
            }
            long t2 = System.nanoTime();
            sign[round] = (t1 - t0) / 1e6 / perRound;
            verify[round] = (t2 - t1) / 1e6 / perRound;
        }
        return new Result(median(sign), median(verify));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

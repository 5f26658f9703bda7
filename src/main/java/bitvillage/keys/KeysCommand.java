package bitvillage.keys;

import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code java -jar target/bitvillage.jar keys}: a villager's keys and signatures from the command line,
 * the lesson of chapters/keys.md. Its interface is a contract a learner scripts against:
 *
 * <ul>
 *   <li>{@code keys new [--seed TEXT]} prints {@code {"secret": "<64 hex>", "address": "<64 hex>"}};
 *       with {@code --seed}, the secret is SHA-256 of the seed's UTF-8 bytes (a brain wallet), otherwise
 *       it comes from SecureRandom;</li>
 *   <li>{@code keys sign --secret HEX --message HEX [--aux HEX]} prints the signature, 128 hex digits;</li>
 *   <li>{@code keys verify --address HEX --message HEX --signature HEX} prints {@code valid} (exit 0) or
 *       {@code invalid} (exit 1, and the launcher's last line says why).</li>
 * </ul>
 *
 * Exit 2 is for what is no input at all: not hex, a wrong length, a secret outside 1 … n − 1, a seed
 * the locale garbled. Anything well-formed that does not verify is {@code invalid}.
 */
public final class KeysCommand {
    private KeysCommand() {}

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("ACTION", "new|sign|verify", "new: a secret key and its address; sign: a signature; verify: valid or invalid"),
            new Options.Option("--seed", "TEXT", "new: the secret is SHA-256 of TEXT (a brain wallet: for pages, never for money)"),
            new Options.Option("--secret", "HEX", "sign: the secret key, 64 hex digits"),
            new Options.Option("--message", "HEX", "sign, verify: the message's bytes in hex, of any length ('' is empty)"),
            new Options.Option("--aux", "HEX", "sign: 32 bytes of fresh randomness, 64 hex digits (default: zeros)"),
            new Options.Option("--address", "HEX", "verify: the signer's address (x-only public key), 64 hex digits"),
            new Options.Option("--signature", "HEX", "verify: the signature, 128 hex digits"));

    private static final HexFormat HEX = HexFormat.of();

    /** A node's options for where its mining rewards go (B16 on). */
    public static final Options.Option REWARD_ADDRESS = Options.Option.text("--address", "HEX", "the address the rewards go to", null);
    public static final Options.Option REWARD_SEED = Options.Option.text("--seed", "TEXT",
            "the rewards go to this seed's key (a brain wallet: for pages, never for money); neither: a fresh key, printed", null);

    /** The address a node's rewards go to: --address, or the key of --seed; with neither, a fresh key, whose secret is printed once. */
    public static String rewardAddress(Options options, World world) {
        if (options.has(REWARD_ADDRESS.name()) && !options.text(REWARD_ADDRESS).matches("[0-9a-f]{64}")) {
            throw new UsageError("--address takes 64 lower-case hex digits (an x-only public key), as keys new prints");
        }
        if (options.has(REWARD_ADDRESS.name())) return options.text(REWARD_ADDRESS);
        if (options.has(REWARD_SEED.name())) return Keys.address(fromSeedArgument(options.text(REWARD_SEED)));
        byte[] secret = Keys.fresh();
        world.out().println("Mining to a fresh key; keep its secret to spend the rewards: " + HEX.formatHex(secret));
        return Keys.address(secret);
    }

    public static void run(Options options, World world) {
        List<String> actions = options.all("ACTION");
        if (actions.size() != 1) {
            throw new UsageError("say what to do, once: keys new, keys sign or keys verify" + (actions.isEmpty() ? "" : ", not " + actions));
        }
        switch (actions.get(0)) {
            case "new" -> {
                allowOnly(options, "new", Set.of("--seed"));
                world.out().println(newKey(options.text("--seed", null)));
            }
            case "sign" -> {
                allowOnly(options, "sign", Set.of("--secret", "--message", "--aux"));
                byte[] secret = secret(options);
                byte[] message = hex(options, "--message", -1);
                byte[] aux = options.has("--aux") ? hex(options, "--aux", Bip340.KEY_BYTES) : new byte[Bip340.KEY_BYTES];
                world.out().println(HEX.formatHex(Bip340.sign(secret, message, aux)));
            }
            case "verify" -> {
                allowOnly(options, "verify", Set.of("--address", "--message", "--signature"));
                byte[] address = hex(options, "--address", Bip340.KEY_BYTES);
                byte[] message = hex(options, "--message", -1);
                byte[] signature = hex(options, "--signature", Bip340.SIGNATURE_BYTES);
                Optional<String> why = Bip340.whyInvalid(address, message, signature);
                world.out().println(why.isEmpty() ? "valid" : "invalid");
                if (why.isPresent()) throw new StageFailed("the signature does not hold: " + why.get(), 1);
            }
            default -> throw new UsageError("keys does new, sign or verify, not '" + actions.get(0) + "'");
        }
    }

    /** A brain wallet's keys from the seed, or fresh ones when there is none, as the contract's one line of JSON. */
    private static String newKey(String seed) {
        byte[] secret = seed == null ? Keys.fresh() : fromSeedArgument(seed);
        return "{\"secret\": \"" + HEX.formatHex(secret) + "\", \"address\": \"" + Keys.address(secret) + "\"}";
    }

    /** {@link Keys#fromSeed} for a seed given on the command line, as {@code --seed TEXT} (keys, a node, pay). */
    public static byte[] fromSeedArgument(String seed) {
        if (seed.indexOf('\uFFFD') >= 0) {
            // Java decodes the command line by the locale; under LANG=C each byte of 小美 arrives as U+FFFD,
            // and the key would be some other seed's: every villager's would be the same.
            throw new UsageError("--seed arrived holding U+FFFD, the mark of bytes that could not be decoded:"
                    + " set a UTF-8 locale (e.g. LANG=C.UTF-8)");
        }
        return Keys.fromSeed(seed);
    }

    /** Each action takes its own options; another action's option is a slip worth saying. */
    private static void allowOnly(Options options, String action, Set<String> allowed) {
        for (Options.Option option : OPTIONS) {
            if (!option.collectsWords() && options.has(option.name()) && !allowed.contains(option.name())) {
                throw new UsageError("keys " + action + " takes no " + option.name());
            }
        }
    }

    /** The secret key: 64 hex digits holding a number from 1 to n − 1. */
    private static byte[] secret(Options options) {
        byte[] secret = hex(options, "--secret", Bip340.KEY_BYTES);
        if (!Bip340.isValidSecret(secret)) {
            throw new UsageError("--secret must be a number from 1 to n - 1 (n is the number of multiples of G),"
                    + " and this one is " + (new BigInteger(1, secret).signum() == 0 ? "0" : "n or more"));
        }
        return secret;
    }

    /** The option's bytes, written as hex digits, two a byte; {@code bytes} is the length it must have, or -1 for any. */
    private static byte[] hex(Options options, String name, int bytes) {
        String text = options.text(name, null);
        if (text == null) throw new UsageError("give " + name + " HEX");
        if (!text.matches("[0-9a-fA-F]*") || text.length() % 2 != 0) {
            throw new UsageError(name + " takes hex digits, two for each byte, not '" + text + "'");
        }
        if (bytes >= 0 && text.length() != bytes * 2) {
            throw new UsageError(name + " takes " + bytes * 2 + " hex digits (" + bytes + " bytes), not " + text.length());
        }
        return HEX.parseHex(text);
    }
}

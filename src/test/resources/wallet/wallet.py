#!/usr/bin/env python3
"""A wallet written without a line of Bit Village's Java: Python's standard library and libsecp256k1.

IndependentWalletTest runs it against real B16 and B17 nodes, to show that the formats the issues
describe are enough for anyone to pay through our nodes:

    wallet.py NODE_URL SEED TO_SEED AMOUNT FEE [SIGNER_SEED]

pays AMOUNT (and FEE) from the brain wallet of SEED (its secret key is SHA-256 of the seed's UTF-8)
to the address of TO_SEED. It asks the node which stage it runs (B16 answers /balance with
next_sequence; B17 with spendable), builds the payment or the transaction itself, computes its id as
SHA-256 of json.dumps(..., sort_keys=True) without the signatures, signs the id's 32 bytes with
secp256k1_schnorrsig_sign32 (aux_rand 32 zero bytes) and posts it. SIGNER_SEED, when given, signs
in SEED's place (a key that does not own the coins), for the test's refusal.

It prints one JSON line: {"stage", "address", "to", "id" (its own), "posted" (the body it sent),
"status" and "answer" (the node's)}, and exits 0 whatever the node answered; the test judges.
Exit 3 if libsecp256k1 is missing, saying how to install it.
"""
import ctypes
import hashlib
import json
import sys
import urllib.error
import urllib.request

LIBRARY = "libsecp256k1.so.1"
INSTALL = "apt-get install -y libsecp256k1-1"
NEEDED = ("secp256k1_context_create", "secp256k1_keypair_create", "secp256k1_keypair_xonly_pub",
          "secp256k1_xonly_pubkey_serialize", "secp256k1_schnorrsig_sign32")
CONTEXT_SIGN_AND_VERIFY = 0x0301
KEYPAIR_BYTES = 96  # the library's opaque structures, as its headers size them
XONLY_PUBKEY_BYTES = 64
NO_AUX = bytes(32)


def missing(message):
    print(message, file=sys.stderr)
    sys.exit(3)


class Secp256k1:
    def __init__(self):
        try:
            lib = ctypes.CDLL(LIBRARY)
        except OSError as error:
            missing(f"libsecp256k1 is not installed ({error}): {INSTALL}")
        absent = [name for name in NEEDED if not hasattr(lib, name)]
        if absent:
            missing(f"{LIBRARY} lacks {', '.join(absent)} (BIP-340 came in 0.2.0): {INSTALL} from Debian 12 or later")
        lib.secp256k1_context_create.restype = ctypes.c_void_p
        lib.secp256k1_context_create.argtypes = [ctypes.c_uint]
        lib.secp256k1_keypair_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.secp256k1_keypair_xonly_pub.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_char_p]
        lib.secp256k1_xonly_pubkey_serialize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.secp256k1_schnorrsig_sign32.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
        self.lib = lib
        self.ctx = ctypes.c_void_p(lib.secp256k1_context_create(CONTEXT_SIGN_AND_VERIFY))

    def keypair(self, secret):
        keypair = ctypes.create_string_buffer(KEYPAIR_BYTES)
        if self.lib.secp256k1_keypair_create(self.ctx, keypair, secret) != 1:
            raise ValueError("libsecp256k1 refuses this secret key")
        return keypair

    def address(self, secret):
        """The x-only public key, 64 lower-case hex: an address."""
        xonly = ctypes.create_string_buffer(XONLY_PUBKEY_BYTES)
        if self.lib.secp256k1_keypair_xonly_pub(self.ctx, xonly, None, self.keypair(secret)) != 1:
            raise ValueError("libsecp256k1 gives no x-only public key")
        serialized = ctypes.create_string_buffer(32)
        self.lib.secp256k1_xonly_pubkey_serialize(self.ctx, serialized, xonly)
        return serialized.raw.hex()

    def sign32(self, secret, message32):
        signature = ctypes.create_string_buffer(64)
        if self.lib.secp256k1_schnorrsig_sign32(self.ctx, signature, message32, self.keypair(secret), NO_AUX) != 1:
            raise ValueError("libsecp256k1 could not sign")
        return signature.raw.hex()


def brain_wallet(seed):
    return hashlib.sha256(seed.encode("utf-8")).digest()


def transaction_id(unsigned):
    """SHA-256 hex of json.dumps(..., sort_keys=True), as its UTF-8 bytes."""
    return hashlib.sha256(json.dumps(unsigned, sort_keys=True).encode("utf-8")).hexdigest()


def call(url, body=None):
    """(status, JSON answer) of a GET, or of a POST when there is a body; 4xx answers too."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode("utf-8"))


def b16_payment(node, secp, secret, signer, sender, recipient, amount, fee):
    status, balance = call(f"{node}/balance/{sender}")
    if status != 200:
        sys.exit(f"GET /balance answered {status}: {balance}")
    payment = {"sender": sender, "recipient": recipient, "amount": amount, "fee": fee,
               "sequence": balance["next_sequence"]}
    own_id = transaction_id(payment)
    signed = dict(payment, signature=secp.sign32(signer, bytes.fromhex(own_id)))
    return own_id, signed


def b17_transaction(node, secp, secret, signer, sender, recipient, amount, fee):
    status, coins = call(f"{node}/coins/{sender}")
    if status != 200:
        sys.exit(f"GET /coins answered {status}: {coins}")
    needed = amount + fee
    # the smallest spendable coin that covers the payment alone: one input, one signature
    covering = sorted((coin for coin in coins["coins"] if coin["spendable"] and coin["amount"] >= needed),
                      key=lambda coin: (coin["amount"], coin["txid"], coin["index"]))
    if not covering:
        sys.exit(f"no spendable coin of {sender} covers {needed}: {coins}")
    coin = covering[0]
    outputs = [{"address": recipient, "amount": amount}]
    change = coin["amount"] - needed
    if change > 0:
        outputs.append({"address": sender, "amount": change})
    transaction = {"inputs": [{"txid": coin["txid"], "index": coin["index"]}], "outputs": outputs}
    own_id = transaction_id(transaction)
    signature = secp.sign32(signer, bytes.fromhex(own_id))
    for each in transaction["inputs"]:
        each["signature"] = signature  # every input spends a coin of the same key
    return own_id, transaction


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit(__doc__)
    node, seed, to_seed, amount, fee = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    secp = Secp256k1()
    secret = brain_wallet(seed)
    signer = brain_wallet(sys.argv[6]) if len(sys.argv) == 7 else secret
    sender, recipient = secp.address(secret), secp.address(brain_wallet(to_seed))
    status, balance = call(f"{node}/balance/{sender}")
    if status != 200:
        sys.exit(f"GET /balance answered {status}: {balance}")
    if "next_sequence" in balance:
        stage, build = "B16", b16_payment
    elif "spendable" in balance:
        stage, build = "B17", b17_transaction
    else:
        sys.exit(f"a node of neither B16 nor B17: /balance answered {balance}")
    own_id, posted = build(node, secp, secret, signer, sender, recipient, amount, fee)
    status, answer = call(f"{node}/transactions/new", posted)
    print(json.dumps({"stage": stage, "address": sender, "to": recipient, "id": own_id, "posted": posted,
                      "status": status, "answer": answer}, sort_keys=True))


if __name__ == "__main__":
    main()

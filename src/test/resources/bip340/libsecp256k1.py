#!/usr/bin/env python3
"""BIP-340 by libsecp256k1, Bitcoin Core's own library, for LibSecp256k1Test to compare ours with.

Reads requests from standard input, one a line, fields separated by commas, all in hex (an empty
field is an empty message):

    sign,SECRET,MESSAGE,AUX       answers  PUBLIC_KEY,SIGNATURE
    verify,PUBLIC_KEY,MESSAGE,SIGNATURE   answers  true or false

and writes one answer a line. Needs Debian's libsecp256k1-1 (0.2.0 or later, which has the
schnorrsig and extrakeys modules): without it, says how to install it and exits with 3.
"""
import ctypes
import sys

LIBRARY = "libsecp256k1.so.1"
INSTALL = "apt-get install -y libsecp256k1-1"
NEEDED = ("secp256k1_keypair_create", "secp256k1_keypair_xonly_pub", "secp256k1_xonly_pubkey_serialize",
          "secp256k1_xonly_pubkey_parse", "secp256k1_schnorrsig_sign_custom", "secp256k1_schnorrsig_verify")


def missing(message):
    print(message, file=sys.stderr)
    sys.exit(3)


def load():
    try:
        library = ctypes.CDLL(LIBRARY)
    except OSError as error:
        missing(f"libsecp256k1 is not installed ({error}): {INSTALL}")
    absent = [name for name in NEEDED if not hasattr(library, name)]
    if absent:
        missing(f"{LIBRARY} lacks {', '.join(absent)} (BIP-340 came in 0.2.0): {INSTALL} from Debian 12 or later")
    return library


class ExtraParams(ctypes.Structure):
    """secp256k1_schnorrsig_extraparams: no nonce function of our own, so BIP-340's, with aux_rand as its data."""
    _fields_ = [("magic", ctypes.c_ubyte * 4), ("noncefp", ctypes.c_void_p), ("ndata", ctypes.c_void_p)]


MAGIC = (0xDA, 0x6F, 0xB3, 0x8C)  # SECP256K1_SCHNORRSIG_EXTRAPARAMS_MAGIC
CONTEXT_SIGN_AND_VERIFY = 0x0301
KEYPAIR_BYTES = 96  # the library's opaque structures, as its headers size them
XONLY_PUBKEY_BYTES = 64


class Secp256k1:
    def __init__(self, library):
        self.lib = library
        library.secp256k1_context_create.restype = ctypes.c_void_p
        library.secp256k1_context_create.argtypes = [ctypes.c_uint]
        self.ctx = ctypes.c_void_p(library.secp256k1_context_create(CONTEXT_SIGN_AND_VERIFY))
        library.secp256k1_schnorrsig_sign_custom.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
            ctypes.POINTER(ExtraParams)]
        library.secp256k1_schnorrsig_verify.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]

    def sign(self, secret, message, aux):
        keypair = ctypes.create_string_buffer(KEYPAIR_BYTES)
        if self.lib.secp256k1_keypair_create(self.ctx, keypair, secret) != 1:
            raise ValueError("libsecp256k1 refuses this secret key")
        xonly = ctypes.create_string_buffer(XONLY_PUBKEY_BYTES)
        self.lib.secp256k1_keypair_xonly_pub(self.ctx, xonly, None, keypair)
        public_key = ctypes.create_string_buffer(32)
        self.lib.secp256k1_xonly_pubkey_serialize(self.ctx, public_key, xonly)
        aux_buffer = ctypes.create_string_buffer(aux, 32)
        params = ExtraParams((ctypes.c_ubyte * 4)(*MAGIC), None, ctypes.cast(aux_buffer, ctypes.c_void_p))
        signature = ctypes.create_string_buffer(64)
        if self.lib.secp256k1_schnorrsig_sign_custom(self.ctx, signature, message, len(message), keypair,
                                                     ctypes.byref(params)) != 1:
            raise ValueError("libsecp256k1 could not sign")
        return public_key.raw, signature.raw

    def verify(self, public_key, message, signature):
        xonly = ctypes.create_string_buffer(XONLY_PUBKEY_BYTES)
        if self.lib.secp256k1_xonly_pubkey_parse(self.ctx, xonly, public_key) != 1:
            return False  # no point of the curve has this x
        return self.lib.secp256k1_schnorrsig_verify(self.ctx, signature, message, len(message), xonly) == 1


def main():
    secp = Secp256k1(load())
    for line in sys.stdin:
        request, *fields = line.rstrip("\n").split(",")
        a, b, c = (bytes.fromhex(field) for field in fields)
        if request == "sign":
            public_key, signature = secp.sign(a, b, c)
            print(f"{public_key.hex()},{signature.hex()}")
        elif request == "verify":
            print("true" if secp.verify(a, b, c) else "false")
        else:
            sys.exit(f"unknown request: {request}")


if __name__ == "__main__":
    main()

import json, hashlib, sys
assert sys.version_info[:2] == (3, 11), sys.version
big = int("7" * 4300)          # the most digits CPython 3.11 converts
negative = -int("3" * 4300)
genesis = {"index": 1, "timestamp": 1700000000.5, "transactions": [], "nonce": 100,
           "previous_hash": big, "note": negative}
def sha(block):
    return hashlib.sha256(json.dumps(block, sort_keys=True).encode()).hexdigest()
block2 = {"index": 2, "timestamp": 1700000001.25,
          "transactions": [{"sender": "0", "recipient": "python-node", "amount": 1}],
          "nonce": 35293, "previous_hash": sha(genesis)}
answer = {"chain": [genesis, block2], "length": 2, "last_bk_t": block2["timestamp"]}
text = json.dumps(answer, sort_keys=True)
try:
    json.loads("1" * 4301)
    raise SystemExit("CPython read 4,301 digits")
except ValueError:
    pass
with open(sys.argv[1], "w") as out:
    out.write(text + "\n")
with open(sys.argv[2], "w") as out:
    out.write("# made by CPython %s: sha256 of json.dumps(block, sort_keys=True) of each block of big-integer-chain.json\n" % sys.version.split()[0])
    for block in answer["chain"]:
        out.write(sha(block) + "\n")

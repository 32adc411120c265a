#!/usr/bin/env python3
"""Checks an ImagingRepo trace proof (imagingrepo-trace-proof/1) without ImagingRepo.

    python3 eng/verify-trace-proof.py proof.json [--rpc URL --contract 0xADDRESS]

1. leaf = SHA3-256(0x00 || UTF-8 bytes of proof["trace"]) must equal proof["leafHash"];
2. for each step of proof["path"]: node = SHA3-256(0x01 || left || right), the sibling on the side "position" names;
3. the result must equal proof["root"];
4. with --rpc/--contract: eth_call batchOfRoot(root) on the TraceAnchor contract must be non-zero.
Exit 0 when everything holds, 1 otherwise. Needs only the Python standard library.
"""
import hashlib
import json
import sys
import urllib.request


def fold(proof):
    leaf = hashlib.sha3_256(b"\x00" + proof["trace"].encode("utf-8")).digest()
    if leaf.hex() != proof["leafHash"].lower():
        return None, "the trace does not hash to leafHash"
    node = leaf
    for step in proof["path"]:
        sibling = bytes.fromhex(step["hash"])
        pair = sibling + node if step["position"] == "left" else node + sibling
        node = hashlib.sha3_256(b"\x01" + pair).digest()
    return node, None


def batch_of_root(rpc, contract, root_hex):
    call = {"to": contract, "data": "0x9575b49c" + root_hex}  # batchOfRoot(bytes32)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_call", "params": [call, "latest"]}).encode()
    request = urllib.request.Request(rpc, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["result"], 16)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    proof = json.load(open(argv[1], encoding="utf-8"))
    if proof.get("format") != "imagingrepo-trace-proof/1":
        print("unknown proof format")
        return 1
    root, problem = fold(proof)
    if problem or root.hex() != proof["root"].lower():
        print("TAMPERED: " + (problem or "the path does not lead to the root"))
        return 1
    print("inclusion ok: trace %s is leaf %d of %d under root %s" % (proof["traceId"], proof["leafIndex"], proof["batchSize"], proof["root"]))
    if "--rpc" in argv and "--contract" in argv:
        batch = batch_of_root(argv[argv.index("--rpc") + 1], argv[argv.index("--contract") + 1], proof["root"].lower())
        if batch == 0:
            print("NOT ANCHORED: the contract does not know this root")
            return 1
        print("anchored on chain in batch %d" % batch)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

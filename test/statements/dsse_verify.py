"""Independent DSSE verifier for nospy's interoperability test.

Reads a DSSE envelope (JSON) and a list of note verifier keys (<name>+<hex id>+<base64>), and
verifies every signature with the raw Ed25519 public key using python3-cryptography. PAE is
recomputed here from the DSSE spec (protocol.md), not taken from nospy. Prints one JSON line:
{"payloadType": ..., "verified": [keyid, ...], "failed": [keyid, ...]}. Exit 0 when every
signature verified, 1 otherwise.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def pae(payload_type: bytes, body: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)


def b64decode(text: str) -> bytes:
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def parse_vkey(vkey: str):
    name, key_id, material = vkey.strip().split("+", 2)
    raw = base64.b64decode(material, validate=True)
    if raw[0] != 0x01 or len(raw) != 33:
        raise ValueError("not an Ed25519 note key: " + vkey)
    # c2sp.org/signed-note: key ID = SHA-256(name || 0x0A || type || key)[:4]
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex()
    if expected != key_id:
        raise ValueError("key ID mismatch in " + vkey)
    return name + "+" + key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def main() -> int:
    envelope = json.load(open(sys.argv[1], encoding="utf-8"))
    keys = dict(parse_vkey(v) for v in sys.argv[2:])
    message = pae(envelope["payloadType"].encode("utf-8"), b64decode(envelope["payload"]))
    verified, failed = [], []
    for signature in envelope["signatures"]:
        key = keys.get(signature["keyid"])
        try:
            if key is None:
                raise InvalidSignature()
            key.verify(b64decode(signature["sig"]), message)
            verified.append(signature["keyid"])
        except InvalidSignature:
            failed.append(signature["keyid"])
    print(json.dumps({"payloadType": envelope["payloadType"], "verified": verified, "failed": failed}))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())

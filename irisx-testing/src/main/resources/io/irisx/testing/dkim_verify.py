"""Verifies one DKIM signature of the message on standard input with dkimpy (Debian's python3-dkim), taking the
public key records from the arguments instead of DNS.

    python3 dkim_verify.py INDEX NAME=RECORD...

INDEX is the signature to verify, 0 for the topmost; each NAME=RECORD answers the TXT query for NAME (such as
mail2026._domainkey.acme.example) with RECORD (such as v=DKIM1; k=ed25519; p=...); any other name has no record.
Prints "pass" and exits 0 when the signature verifies, prints "fail" and exits 1 when it does not; dkimpy's reasons
go to standard error.
"""
import logging
import sys

import dkim


def main(argv):
    index = int(argv[1])
    records = {}
    for arg in argv[2:]:
        name, record = arg.split("=", 1)
        records[name.lower().rstrip(".")] = record.encode("ascii")

    def dnsfunc(name, timeout=5):
        key = (name.decode("ascii") if isinstance(name, bytes) else name).lower().rstrip(".")
        if key not in records:
            print("dkimpy asked for %s, which has no record here" % key, file=sys.stderr)
            return None
        return records[key]

    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="dkimpy: %(message)s")
    message = sys.stdin.buffer.read()
    verifier = dkim.DKIM(message, logger=logging.getLogger("dkimpy"), minkey=1024)
    try:
        passed = verifier.verify(idx=index, dnsfunc=dnsfunc)
    except dkim.DKIMException as e:
        print("dkimpy: %s" % e, file=sys.stderr)
        passed = False
    print("pass" if passed else "fail")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

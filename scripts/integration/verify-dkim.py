#!/usr/bin/python3
"""Verifies the DKIM-Signature of one message with python3-dkim (an implementation
independent of OpenDKIM), without DNS: the key record comes from the TXT record file that
opendkim-genkey wrote (`sel._domainkey IN TXT ( "v=DKIM1; ..." "p=..." )`).

usage: verify-dkim.py RECORD.txt < message
Prints "pass", "fail: <why>" or "none" (no DKIM-Signature); exit status 0 for pass, 1 otherwise.
Run it with Debian's /usr/bin/python3 (python3-dkim lives in its dist-packages).
"""
import re
import sys

try:
    import dkim
except ImportError as e:  # the end-to-end test turns this into a failure with advice
    print(f"fail: python3-dkim is not installed ({e}); apt-get install python3-dkim")
    sys.exit(2)


def main() -> int:
    with open(sys.argv[1], encoding="ascii") as f:
        zone_text = f.read()
    # The record's character-strings, joined: everything between double quotes.
    record = "".join(re.findall(r'"([^"]*)"', zone_text)).encode("ascii")
    message = sys.stdin.buffer.read()
    if not re.search(rb"^DKIM-Signature:", message, re.IGNORECASE | re.MULTILINE):
        print("none")
        return 1

    looked_up = []

    def dnsfunc(name, timeout=5):
        looked_up.append(name.decode() if isinstance(name, bytes) else name)
        return record

    logs = []

    class Collect:
        def __getattr__(self, level):
            return lambda msg, *args: logs.append(msg % args if args else str(msg))

    try:
        ok = dkim.verify(message, logger=Collect(), dnsfunc=dnsfunc)
    except Exception as e:  # a malformed signature raises instead of returning False
        print(f"fail: {type(e).__name__}: {e}")
        return 1
    if ok:
        print("pass")
        return 0
    print("fail: " + ("; ".join(logs[-3:]) or "signature does not verify") + f" (key looked up: {', '.join(looked_up)})")
    return 1


if __name__ == "__main__":
    sys.exit(main())

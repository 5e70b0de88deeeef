#!/usr/bin/env python3
"""Records what virsh 9.0 says on a driver that has no network, storage, interface or node
device driver, for jvirt URIs (which have no interface or node device driver yet) to answer the same.

    record_unsupported.py NAME 'COMMANDS'    record unsupported/NAME.txt
    record_unsupported.py --all              record every unsupported/*.txt again

libvirt's VMware Player driver (vmwareplayer:///session, built into libvirt.so) is such a
driver; it only needs `vmrun` and `vmplayer -v` on PATH, so a stub of each is made in a temp
directory. The transcripts keep the real command line; UnsupportedDriverReplayTest replays
them with the URI replaced by a jvirt:///embed one.
"""
import os
import sys
import tempfile

import record

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "unsupported")
URI = "vmwareplayer:///session"


def stubs(d):
    for name, body in (("vmrun", "exit 0"), ("vmplayer", "echo 'VMware Player 6.0.0 build-1295980'")):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(p, 0o755)


def main(argv):
    with tempfile.TemporaryDirectory() as d:
        stubs(d)
        os.environ["PATH"] = d + os.pathsep + os.environ["PATH"]
        if argv[:1] == ["--all"]:
            for n in sorted(os.listdir(OUT)):
                if n.endswith(".txt"):
                    p = os.path.join(OUT, n)
                    record.record(p, record.command_of(p))
        elif len(argv) == 2:
            record.record(os.path.join(OUT, argv[0] + ".txt"), ["-c", URI, argv[1]])
        else:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

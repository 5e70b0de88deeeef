#!/usr/bin/env python3
"""Records real virsh runs as golden transcripts for jvirsh's replay tests.

    record.py AREA/NAME VIRSH-ARGS...   run real virsh with these arguments, write AREA/NAME.txt
    record.py --all                     run every transcript's command again and rewrite it

Each run starts in a fresh copy of files/ (the working directory the commands see, so
relative paths such as files/small.xml resolve) with a fresh test:///default, as every virsh
process opens its own. The format is the one of ../shared/reference/virsh: the command line,
the exit code, then stdout and stderr verbatim with their byte counts.
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRANSCRIPTS = os.path.join(HERE, "transcripts")


# virsh 9.0 sometimes never returns from a job it watches (managedsave: the worker thread
# can finish before virshWatchJob's main loop runs, which then waits forever); such a run is
# started again, as the replay checks do.
ATTEMPTS = 16
ATTEMPT_TIMEOUT = 5


def run_virsh(args):
    for attempt in range(ATTEMPTS):
        with tempfile.TemporaryDirectory() as cwd:
            shutil.copytree(os.path.join(HERE, "files"), os.path.join(cwd, "files"))
            env = dict(os.environ, LC_ALL="C.UTF-8", HOME=cwd, XDG_CONFIG_HOME=cwd, XDG_CACHE_HOME=cwd)
            env.pop("LIBVIRT_DEFAULT_URI", None)
            env.pop("VIRSH_DEFAULT_CONNECT_URI", None)
            try:
                p = subprocess.run(["virsh"] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=ATTEMPT_TIMEOUT)
            except subprocess.TimeoutExpired:
                continue
            return p.returncode, p.stdout, p.stderr
    sys.exit(f"record.py: virsh {args} did not finish in {ATTEMPTS} attempts")


def format_transcript(args, rc, out, err):
    command = "virsh " + " ".join(shlex.quote(a) for a in args)
    return (b"=== COMMAND ===\n" + command.encode() + b"\n=== EXIT CODE ===\n" + str(rc).encode()
            + b"\n=== STDOUT (verbatim, %d bytes) ===\n" % len(out) + out
            + b"=== STDERR (verbatim, %d bytes) ===\n" % len(err) + err + b"=== END ===\n")


def command_of(path):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n", 2)
    return shlex.split(lines[1].decode())[1:]


def record(path, args):
    rc, out, err = run_virsh(args)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(format_transcript(args, rc, out, err))
    print(f"{os.path.relpath(path, HERE)}: exit {rc}, {len(out)} + {len(err)} bytes")


def main(argv):
    if shutil.which("virsh") is None:
        sys.exit("record.py: no virsh on PATH (apt-get install libvirt-clients)")
    if argv[:1] == ["--all"]:
        for root, _, names in sorted(os.walk(TRANSCRIPTS)):
            for n in sorted(names):
                if n.endswith(".txt"):
                    p = os.path.join(root, n)
                    record(p, command_of(p))
    elif len(argv) >= 2:
        record(os.path.join(TRANSCRIPTS, argv[0] + ".txt"), argv[1:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Writes jvirsh's catalogue of virsh 9.0's commands from the installed virsh.

    catalogue.py [VIRSH]    (default /usr/bin/virsh; run from any directory)

The catalogue (../../main/resources/org/jvirt/virsh/shell/virsh-catalogue.tsv) holds, for every
command virsh knows, its group, flags, help line, description and options with their types and
flags, in virsh's order. `virsh help CMD` shows the words but not everything the parser uses:
whether an option can be given positionally (VSH_OFLAG_REQ_OPT), option aliases
(VSH_OT_ALIAS, "intentionally undocumented"), hidden commands and command aliases. So the
tables are read from virsh's own command definitions (vshCmdGrp/vshCmdDef/vshCmdOptDef in the
x86-64 PIE executable, pointers resolved through its R_X86_64_RELATIVE relocations), and then
checked: the help this script renders from them must equal, byte for byte, what `virsh help`
and `virsh help CMD` print for every group and command, or the script writes nothing.

Line format (tab-separated, texts escaped with \\\\, \\n, \\t):
    G  name  keyword                          a group, in `help` order
    C  name  flags  help  desc                a command of the last group (flags: noconnect,
                                              hidden or "-")
    L  name  target                           a command alias (VSH_CMD_FLAG_ALIAS)
    O  name  type  flags  help                an option of the last command; type BOOL,
                                              STRING, INT, DATA, ARGV or ALIAS (help is then
                                              the option it stands for, "name" or
                                              "name=value"); flags: req, named (REQ_OPT),
                                              empty (EMPTY_OK) or "-"
"""
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "main", "resources", "org", "jvirt", "virsh", "shell", "virsh-catalogue.tsv")

TYPES = ["BOOL", "STRING", "INT", "DATA", "ARGV", "ALIAS"]  # vshCmdOptType, in vsh.h's order
OFLAG_REQ, OFLAG_EMPTY_OK, OFLAG_REQ_OPT = 1, 2, 4
CMD_NOCONNECT, CMD_ALIAS, CMD_HIDDEN = 1, 2, 4


class Elf:
    """Just enough of an ELF64 reader: sections, RELATIVE relocations, C strings."""

    def __init__(self, path):
        self.data = open(path, "rb").read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 2 or struct.unpack_from("<H", d, 0x12)[0] != 62:
            sys.exit("catalogue.py: %s is not an x86-64 ELF64 executable" % path)
        shoff, = struct.unpack_from("<Q", d, 0x28)
        shentsize, shnum, _ = struct.unpack_from("<HHH", d, 0x3a)
        self.sections = []
        for i in range(shnum):
            _, typ, _, addr, off, size, _, _, _, _ = struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize)
            self.sections.append((typ, addr, off, size))
        self.rel = {}
        for typ, _, off, size in self.sections:
            if typ == 4:  # SHT_RELA
                for i in range(off, off + size, 24):
                    r_off, info, addend = struct.unpack_from("<QQq", d, i)
                    if info & 0xffffffff == 8:  # R_X86_64_RELATIVE
                        self.rel[r_off] = addend

    def offset(self, va):
        for typ, addr, off, size in self.sections:
            if addr and addr <= va < addr + size and typ != 8:  # not NOBITS
                return va - addr + off
        raise ValueError("address %#x is in no section" % va)

    def ptr(self, va):
        return self.rel.get(va, struct.unpack_from("<Q", self.data, self.offset(va))[0])

    def u32(self, va):
        return struct.unpack_from("<I", self.data, self.offset(va))[0]

    def cstr(self, va):
        o = self.offset(va)
        return self.data[o:self.data.index(b"\0", o)].decode()


def read_tables(elf):
    """virsh's cmdGroups: [(name, keyword, [command dict])]."""
    marker = elf.data.index(b"\0Domain Management\0") + 1
    starts = [o for o, a in elf.rel.items() if a == marker]
    if len(starts) != 1:
        sys.exit("catalogue.py: cannot find virsh's command group table")
    groups = []
    g = starts[0]
    while elf.ptr(g):  # vshCmdGrp {name, keyword, commands}
        cmds = []
        c = elf.ptr(g + 16)
        while elf.ptr(c):  # vshCmdDef {name, handler, opts, info, flags, alias}
            cmd = {"name": elf.cstr(elf.ptr(c)), "flags": elf.u32(c + 32), "opts": [], "info": {}}
            if elf.ptr(c + 40):
                cmd["alias"] = elf.cstr(elf.ptr(c + 40))
            i = elf.ptr(c + 24)
            while i and elf.ptr(i):  # vshCmdInfo {name, data}
                cmd["info"][elf.cstr(elf.ptr(i))] = elf.cstr(elf.ptr(i + 8))
                i += 16
            o = elf.ptr(c + 16)
            while o and elf.ptr(o):  # vshCmdOptDef {name, type, flags, help, completer, completer_flags}
                typ = elf.u32(o + 8)
                if typ >= len(TYPES):
                    sys.exit("catalogue.py: unexpected option type %d in %s" % (typ, cmd["name"]))
                cmd["opts"].append({"name": elf.cstr(elf.ptr(o)), "type": TYPES[typ],
                                    "flags": elf.u32(o + 12), "help": elf.cstr(elf.ptr(o + 16))})
                o += 40
            cmds.append(cmd)
            c += 48
        groups.append((elf.cstr(elf.ptr(g)), elf.cstr(elf.ptr(g + 8)), cmds))
        g += 24
    return groups


def render_help(cmd):
    """vshCmddefHelp, as virsh 9.0 prints it."""
    out = "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s" % (cmd["name"], cmd["info"]["help"], cmd["name"])
    shortopt = False
    for o in cmd["opts"]:
        req, reqopt, n = o["flags"] & OFLAG_REQ, o["flags"] & OFLAG_REQ_OPT, o["name"]
        t = o["type"]
        if t == "ALIAS":
            continue
        if t == "BOOL":
            s = "[--%s]" % n
        elif t == "INT":
            s = "<%s>" % n if req else "[--%s <number>]" % n
            shortopt = shortopt or not reqopt
        elif t == "STRING":
            s = "[--%s <string>]" % n
            shortopt = shortopt or not reqopt
        elif t == "DATA":
            s = "<%s>" % n if req else "[<%s>]" % n
            shortopt = shortopt or not reqopt
        elif shortopt:
            s = ("{[--%s] <string>}..." if req else "[[--%s] <string>]...") % n
        else:
            s = ("<%s>..." if req else "[<%s>]...") % n
        out += " " + s
    out += "\n"
    desc = cmd["info"].get("desc")
    if desc:
        out += "\n  DESCRIPTION\n    %s\n" % desc
    if cmd["opts"]:
        out += "\n  OPTIONS\n"
        for o in cmd["opts"]:
            t, n = o["type"], o["name"]
            if t == "ALIAS":
                continue
            if t == "BOOL":
                b = "--" + n
            elif t == "INT":
                b = ("[--%s] <number>" if o["flags"] & OFLAG_REQ else "--%s <number>") % n
            elif t == "STRING":
                b = "--%s <string>" % n
            elif t == "DATA":
                b = "[--%s] <string>" % n
            else:
                b = ("[--%s] <string>" if shortopt else "<%s>") % n
            out += "    %-15s  %s\n" % (b, o["help"])
    return out + "\n"


def render_groups(groups):
    out = "Grouped commands:\n\n"
    for name, keyword, cmds in groups:
        out += " %s (help keyword '%s'):\n" % (name, keyword)
        for c in cmds:
            if not c["flags"] & (CMD_ALIAS | CMD_HIDDEN):
                out += "    %-30s %s\n" % (c["name"], c["info"]["help"])
        out += "\n"
    return out


def virsh(exe, *args):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("LIBVIRT_DEFAULT_URI", None)
    p = subprocess.run([exe] + list(args), env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    if p.returncode != 0:
        sys.exit("catalogue.py: virsh %s failed: %s" % (" ".join(args), p.stderr.decode()))
    return p.stdout.decode()


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def flag_words(flags, names):
    words = [w for bit, w in names if flags & bit]
    return ",".join(words) or "-"


def main(argv):
    exe = argv[0] if argv else "/usr/bin/virsh"
    groups = read_tables(Elf(exe))
    problems = []
    # virsh ends each command's output with an empty line (vshCommandRun)
    if render_groups(groups) + "\n" != virsh(exe, "help"):
        problems.append("help")
    for _, keyword, cmds in groups:
        for c in cmds:
            if c["flags"] & CMD_ALIAS:
                continue
            if render_help(c) + "\n" != virsh(exe, "help", c["name"]):
                problems.append("help " + c["name"])
    if problems:
        sys.exit("catalogue.py: the tables read from %s do not give virsh's own help for: %s"
                 % (exe, ", ".join(problems)))
    lines = ["# virsh 9.0's commands, written by virsh-compat/src/test/golden/catalogue.py from "
             + virsh(exe, "--version").strip() + "; do not edit"]
    for name, keyword, cmds in groups:
        lines.append("G\t%s\t%s" % (esc(name), esc(keyword)))
        for c in cmds:
            if c["flags"] & CMD_ALIAS:
                lines.append("L\t%s\t%s" % (c["name"], c["alias"]))
                continue
            lines.append("C\t%s\t%s\t%s\t%s" % (c["name"], flag_words(c["flags"], [(CMD_NOCONNECT, "noconnect"), (CMD_HIDDEN, "hidden")]),
                                              esc(c["info"]["help"]), esc(c["info"].get("desc", ""))))
            for o in c["opts"]:
                lines.append("O\t%s\t%s\t%s\t%s" % (o["name"], o["type"], flag_words(
                    o["flags"], [(OFLAG_REQ, "req"), (OFLAG_REQ_OPT, "named"), (OFLAG_EMPTY_OK, "empty")]), esc(o["help"])))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    ncmd = sum(1 for l in lines if l.startswith("C\t"))
    print("%s: %d groups, %d commands, %d options; help of each checked against virsh"
          % (os.path.relpath(OUT), len(groups), ncmd, sum(1 for l in lines if l.startswith("O\t"))))


if __name__ == "__main__":
    main(sys.argv[1:])

package org.jvirt.vmm.cli;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.machine.MachineConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parses the jvirt-vmm command line into a MachineConfig; errors are one-line UsageExceptions. */
final class CliArguments {
    private CliArguments() { }

    static final String USAGE = String.join("\n",
            "usage: jvirt-vmm --kernel FILE [--initrd FILE] [--append STR] [--memory SIZE] [--cpus N]",
            "                 [--disk FILE[,ro][,format=raw|qcow2]]... [--serial stdio|file:PATH|unix:PATH|pty] [--accel kvm|emu]",
            "                 [--name NAME] [--control SOCKET] [--paused] [--pidfile FILE] [--exit-file FILE]",
            "                 [--start-token T] [--on-reboot restart|destroy] [--restore FILE]",
            "  --kernel FILE     PVH ELF or bzImage kernel (required)",
            "  --initrd FILE     initial ramdisk",
            "  --append STR      kernel command line",
            "  --memory SIZE     guest RAM, e.g. 256M, 1G (default 256M; plain numbers are MiB)",
            "  --cpus N          number of vCPUs (default 1)",
            "  --disk FILE[,ro][,format=raw|qcow2]",
            "                    disk image (raw by default; qcow2 with its backing chain) as a",
            "                    virtio-blk device; repeatable; write a comma in FILE as ,,",
            "  --serial WHERE    COM1 to stdout (stdio, default), appended to file:PATH, a console",
            "                    socket unix:PATH, or a new pseudo-terminal (pty; see query-chardev)",
            "  --name NAME       the VM's name (shown in the process title of threads and messages)",
            "  --control SOCKET  serve the QMP-style control socket at SOCKET",
            "  --paused          set the VM up but do not run it until 'cont'",
            "  --pidfile FILE    write the process id to FILE and hold an fcntl lock on it while running;",
            "                    refuse to start when another process holds it (the VM already runs)",
            "  --start-token T   start only if FILE holds T once locked (lets a manager cancel a start)",
            "  --exit-file FILE  write how the VM ended (reason=shutdown|destroyed|crashed) to FILE",
            "  --on-reboot WHAT  a guest reset restarts the guest (default) or ends the VM (destroy)",
            "  --restore FILE    build the VM from these options, then load FILE's saved state (as",
            "                    written by the control command jvirt-save) before any vCPU runs;",
            "                    a file that does not fit the VM (RAM, vCPUs, devices) is refused",
            "  --accel NAME      kvm (default) or emu",
            "exit status: the guest's debug-exit value v as (v << 1) | 1, 0 after a power-off, 1 on errors");

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Returns null when --help was asked for. */
    static MachineConfig parse(String[] args) throws UsageException {
        VmmOptions o = parseOptions(args);
        return o == null ? null : o.config();
    }

    /** The whole command line; null when --help was asked for. */
    static VmmOptions parseOptions(String[] args) throws UsageException {
        String name = null, serialSpec = "stdio";
        Path control = null, pidFile = null, exitFile = null, restore = null;
        String startToken = null;
        boolean paused = false, resetEndsVm = false;
        Path kernel = null, initrd = null;
        String cmdline = "";
        long memory = MachineConfig.DEFAULT_MEMORY;
        int cpus = 1;
        List<MachineConfig.Disk> disks = new ArrayList<>();
        MachineConfig.Serial serial = new MachineConfig.Serial.Stdio();
        MachineConfig.Accel accel = MachineConfig.Accel.KVM;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String opt = a, inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                opt = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            if (opt.equals("-h") || opt.equals("--help")) return null;
            if (!opt.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            if (opt.equals("--paused")) {
                paused = true;
                continue;
            }
            String v = inline;
            if (v == null) {
                if (i + 1 >= args.length) throw new UsageException(opt + " needs a value");
                v = args[++i];
            }
            switch (opt) {
                case "--kernel" -> kernel = Path.of(v);
                case "--initrd" -> initrd = Path.of(v);
                case "--append" -> cmdline = v;
                case "--memory" -> memory = parseSize(v);
                case "--cpus" -> cpus = parseCpus(v);
                case "--disk" -> disks.add(parseDisk(v));
                case "--serial" -> {
                    serialSpec = v;
                    serial = parseSerial(v);
                }
                case "--name" -> name = v;
                case "--control" -> control = Path.of(v);
                case "--pidfile" -> pidFile = Path.of(v);
                case "--exit-file" -> exitFile = Path.of(v);
                case "--restore" -> restore = Path.of(v);
                case "--start-token" -> startToken = v;
                case "--on-reboot" -> {
                    if (!v.equals("restart") && !v.equals("destroy")) throw new UsageException("bad --on-reboot '" + v + "' (restart or destroy)");
                    resetEndsVm = v.equals("destroy");
                }
                case "--accel" -> {
                    try {
                        accel = MachineConfig.Accel.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                default -> throw new UsageException("unknown option " + opt);
            }
        }
        if (kernel == null) throw new UsageException("--kernel FILE is required");
        if (startToken != null && pidFile == null) throw new UsageException("--start-token needs --pidfile");
        try {
            MachineConfig config = new MachineConfig(memory, cpus, kernel, initrd, cmdline, disks, serial, accel);
            return new VmmOptions(config, serialSpec, name, control, paused, pidFile, startToken, exitFile, resetEndsVm, restore);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** "256M", "1G", "512K", "1048576B"; a bare number is MiB, as QEMU's -m. */
    static long parseSize(String s) throws UsageException {
        String t = s.trim().toUpperCase();
        long unit = 1L << 20;
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                case 'B' -> unit = 1;
                default -> unit = 0;
            }
            if (unit != 0) t = t.substring(0, t.length() - 1);
            else unit = 1L << 20;
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > (1L << 50) / unit) throw new NumberFormatException();
            return n * unit;
        } catch (NumberFormatException e) {
            throw new UsageException("bad memory size '" + s + "' (e.g. 256M, 2G)");
        }
    }

    private static int parseCpus(String s) throws UsageException {
        try {
            int n = Integer.parseInt(s.trim());
            if (n < 1 || n > 255) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("bad vCPU count '" + s + "' (1..255)");
        }
    }

    private static MachineConfig.Disk parseDisk(String s) throws UsageException {
        String[] parts = splitOptions(s);
        if (parts[0].isEmpty()) throw new UsageException("--disk needs a file name");
        boolean ro = false;
        ImageFormat format = ImageFormat.RAW;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("ro") || parts[i].equals("readonly")) ro = true;
            else if (parts[i].startsWith("format=")) {
                try {
                    format = ImageFormat.parse(parts[i].substring(7));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            } else if (!parts[i].equals("rw")) throw new UsageException("unknown disk option '" + parts[i] + "' (ro, rw or format=raw|qcow2)");
        }
        return new MachineConfig.Disk(Path.of(parts[0]), ro, format);
    }

    /** Splits at single commas; ",," stands for a comma in a file name (as in QEMU's options). */
    static String[] splitOptions(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ',') {
                cur.append(c);
            } else if (i + 1 < s.length() && s.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else {
                parts.add(cur.toString());
                cur.setLength(0);
            }
        }
        parts.add(cur.toString());
        return parts.toArray(String[]::new);
    }

    private static MachineConfig.Serial parseSerial(String s) throws UsageException {
        if (s.equals("stdio")) return new MachineConfig.Serial.Stdio();
        if (s.startsWith("file:") && s.length() > 5) return new MachineConfig.Serial.ToFile(Path.of(s.substring(5)));
        // unix: and pty become Custom backends in JvirtVmmMain (they open sockets/terminals)
        if (s.equals("pty") || (s.startsWith("unix:") && s.length() > 5)) return new MachineConfig.Serial.Stdio();
        throw new UsageException("bad --serial '" + s + "' (stdio, file:PATH, unix:PATH or pty)");
    }
}

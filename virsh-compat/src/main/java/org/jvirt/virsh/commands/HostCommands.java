package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.virsh.shell.Catalogue;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Completion;
import org.jvirt.virsh.shell.Help;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;

/** Host and shell commands: nodeinfo, version, uri, hostname, capabilities, echo, help, quit. */
final class HostCommands {

    private HostCommands() { }

    static final String HOST = "Host and Hypervisor (help keyword 'host')";
    static final String SHELL = "Virsh itself (help keyword 'virsh')";

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("nodeinfo", HOST, "node information", "Returns basic information about the node.",
                        List.of(), HostCommands::nodeinfo),
                new CmdDef("version", HOST, "show version", "Display the system version information.",
                        List.of(bool("daemon", "report daemon version too")), HostCommands::version),
                new CmdDef("uri", HOST, "print the hypervisor canonical URI", "", List.of(), HostCommands::uri),
                new CmdDef("hostname", HOST, "print the hypervisor hostname", "", List.of(), HostCommands::hostname),
                new CmdDef("capabilities", HOST, "capabilities", "Returns capabilities of hypervisor/driver.",
                        List.of(), HostCommands::capabilities),
                new CmdDef("echo", SHELL, "echo arguments. Used for internal testing.",
                        "Echo back arguments, possibly with quoting. Used for internal testing.",
                        List.of(bool("shell", "escape for shell use"), bool("xml", "escape for XML use"),
                                bool("split", "split each argument on ','; ',,' is an escape sequence"),
                                bool("err", "output to stderr"),
                                // virsh's undocumented spellings, there to test option aliases
                                new OptDef("str", OptType.ALIAS, false, true, "string"),
                                new OptDef("hi", OptType.ALIAS, false, true, "string=hello"),
                                OptDef.argv("string", "arguments to echo")),
                        HostCommands::echo, false),
                new CmdDef("help", SHELL, "print help", "Prints global help, command specific help, or help for a\n    group of related commands",
                        List.of(new OptDef("command", org.jvirt.virsh.shell.OptType.STRING, false, false, "Prints global help, command specific help, or help for a group of related commands")),
                        HostCommands::help, false),
                new CmdDef("complete", CmdDef.HIDDEN, "internal command for autocompletion", "internal use only",
                        List.of(OptDef.argv("string", "partial string to autocomplete")), HostCommands::complete, false),
                new CmdDef("cd", SHELL, "change the current directory", "Change the current directory.",
                        List.of(OptDef.string("dir", "directory to switch to (default: home or else root)")),
                        HostCommands::cd, false),
                new CmdDef("pwd", SHELL, "print the current directory", "Print the current directory.",
                        List.of(), HostCommands::pwd, false),
                new CmdDef("connect", SHELL, "(re)connect to hypervisor",
                        "Connect to local hypervisor. This is built-in command after shell start up.",
                        List.of(OptDef.string("name", "hypervisor connection URI"), bool("readonly", "read-only connection")),
                        HostCommands::connect, false),
                new CmdDef("quit", SHELL, "quit this interactive terminal", "", List.of(), (v, c) -> true, false),
                new CmdDef("exit", SHELL, "quit this interactive terminal", "", List.of(), (v, c) -> true, false));
    }

    private static String field(String label, String value) {
        return String.format("%-20s %s", label, value) + "\n";
    }

    private static boolean nodeinfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        NodeInfo n = vsh.conn().nodeInfo();
        vsh.print(field("CPU model:", n.model) + field("CPU(s):", Integer.toString(n.cpus))
                + field("CPU frequency:", n.mhz + " MHz") + field("CPU socket(s):", Integer.toString(n.sockets))
                + field("Core(s) per socket:", Integer.toString(n.cores))
                + field("Thread(s) per core:", Integer.toString(n.threads))
                + field("NUMA cell(s):", Integer.toString(n.nodes)) + field("Memory size:", n.memory + " KiB"));
        return true;
    }

    private static String version(long v) {
        return (v / 1_000_000) + "." + (v % 1_000_000 / 1000) + "." + (v % 1000);
    }

    private static boolean version(Vsh vsh, Cmd cmd) throws LibvirtException {
        Connect c = vsh.conn();
        String type = c.getType();
        vsh.print("Compiled against library: libvirt " + version(Connect.LIB_VERSION) + "\n"
                + "Using library: libvirt " + version(c.getLibVersion()) + "\n"
                + "Using API: " + type + " " + version(c.getLibVersion()) + "\n"
                + "Running hypervisor: " + type + " " + version(c.getVersion()) + "\n");
        // like virConnectGetLibVersion: without a daemon the library answers for it
        if (cmd.flag("daemon")) vsh.print("Running against daemon: " + version(c.getLibVersion()) + "\n");
        return true;
    }

    private static boolean uri(Vsh vsh, Cmd cmd) throws LibvirtException {
        vsh.print(vsh.conn().getURI() + "\n");
        return true;
    }

    private static boolean hostname(Vsh vsh, Cmd cmd) throws LibvirtException {
        vsh.print(vsh.conn().getHostName() + "\n");
        return true;
    }

    private static boolean capabilities(Vsh vsh, Cmd cmd) throws LibvirtException {
        vsh.print(vsh.conn().getCapabilities() + "\n");
        return true;
    }

    private static boolean echo(Vsh vsh, Cmd cmd) {
        List<String> out = new ArrayList<>();
        for (String w : cmd.argv()) {
            if (cmd.flag("xml")) w = w.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            if (cmd.flag("shell") && (w.isEmpty() || !w.matches("[A-Za-z0-9_./:=@%+,-]+"))) {
                w = "'" + w.replace("'", "'\\''") + "'";
            }
            out.add(w);
        }
        String text = String.join(" ", out);
        if (cmd.flag("err")) {
            vsh.error(text);
        } else {
            vsh.print(text);
        }
        return true;
    }

    /** virsh's cmdHelp: every command (jvirsh's or, else, virsh's from the catalogue), or a group. */
    private static boolean help(Vsh vsh, Cmd cmd) {
        String name = cmd.get("command");
        Map<String, CmdDef> defs = vsh.commands();
        if (name == null || name.isEmpty()) {
            vsh.print(Help.grouped(defs));
            return true;
        }
        CmdDef def = defs.get(name);
        if (def == null) {
            
            String target = Catalogue.aliasTarget(name);
            if (target != null) name = target;
            def = defs.getOrDefault(name, Catalogue.definition(name));
        }
        if (def != null) {
            vsh.print(Help.format(def));
            return true;
        }
        String group = Help.group(defs, name);
        if (group == null) {
            vsh.error("command or command group '" + name + "' doesn't exist");
            return false;
        }
        vsh.print(group);
        return true;
    }

    private static boolean cd(Vsh vsh, Cmd cmd) {
        if (!vsh.isInteractive()) {
            vsh.error("cd: command valid only in interactive mode");
            return false;
        }
        String dir = cmd.get("dir");
        if (dir == null) dir = vsh.env().getOrDefault("HOME", "/");
        java.nio.file.Path target = vsh.path(dir).normalize();
        if (!java.nio.file.Files.isDirectory(target)) {
            vsh.error("cd: " + (java.nio.file.Files.exists(target) ? "Not a directory" : "No such file or directory")
                    + ": " + dir);
            return false;
        }
        vsh.setCwd(target);
        return true;
    }

    private static boolean pwd(Vsh vsh, Cmd cmd) {
        vsh.print(vsh.cwd() + "\n");
        return true;
    }

    private static boolean connect(Vsh vsh, Cmd cmd) {
        try {
            vsh.reconnect(cmd.get("name"), cmd.flag("readonly"));
            return true;
        } catch (LibvirtException e) {
            vsh.connectFailed(e);
            return false;
        }
    }

    /** virsh's hidden `complete`: one candidate a line for the words after "--". */
    private static boolean complete(Vsh vsh, Cmd cmd) {
        List<String> words = new ArrayList<>(cmd.argv());
        if (words.isEmpty()) return false; // virsh: nothing to complete is a failure, without a message
        for (String c : new Completion(vsh.commands(), vsh::domainNamesQuietly).complete(words)) vsh.print(c + "\n");
        return true;
    }
}

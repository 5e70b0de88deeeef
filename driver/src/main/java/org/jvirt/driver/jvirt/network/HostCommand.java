package org.jvirt.driver.jvirt.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * Runs a host tool (ip, iptables, dnsmasq) as libvirt's virCommandRun does, failing in its
 * words: "Child process (CMD) unexpected exit status N: OUTPUT". Tools are looked up in
 * /usr/sbin, /sbin and /usr/bin by full path, whatever the caller's PATH.
 */
final class HostCommand {

    private HostCommand() { }

    record Result(int exit, String output) { }

    static String tool(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            java.nio.file.Path p = java.nio.file.Path.of(dir, name);
            if (java.nio.file.Files.isExecutable(p)) return p.toString();
        }
        return name;
    }

    /** Runs the command, its stdin empty, stdout and stderr together; never throws for a non-zero exit. */
    static Result probe(List<String> cmd) throws LibvirtException {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failed(cmd, "did not end in 60 s");
            }
            return new Result(p.exitValue(), out.strip());
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    "Cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(cmd, "interrupted");
        }
    }

    /** Runs the command; a non-zero exit is libvirt's internal error naming it. */
    static String run(List<String> cmd) throws LibvirtException {
        Result r = probe(cmd);
        if (r.exit() != 0) throw failed(cmd, "unexpected exit status " + r.exit() + ": " + r.output());
        return r.output();
    }

    private static LibvirtException failed(List<String> cmd, String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                "Child process (" + String.join(" ", cmd) + ") " + what);
    }
}

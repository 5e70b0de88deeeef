package org.jvirt.driver.jvirt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared by the jvirt driver tests: a jvirt-vmm launcher on the test class path, guests, child JVMs. */
final class JvirtTestSupport {

    private JvirtTestSupport() { }

    static final Path GUESTS = Path.of("..", "test-fixtures", "target", "guests").toAbsolutePath().normalize();

    static boolean kvmUsable() {
        // -Djvirt.test.emu=true: run the guests on the emulator even here, as CI without KVM does
        return org.jvirt.vmm.kvm.Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu");
    }

    /**
     * The virt type the running-guest tests use here: kvm where /dev/kvm is usable, else qemu
     * (jvirt-vmm --accel emu, the pure-Java emulator), so they run on every machine.
     * -Djvirt.test.emu=true picks the emulator even where KVM works (to see what CI without KVM sees).
     */
    static String guestVirtType() {
        return kvmUsable() ? "kvm" : "qemu";
    }

    /** True when the guests run on the emulator (no usable /dev/kvm). */
    static boolean onEmulator() {
        return "qemu".equals(guestVirtType());
    }

    /**
     * Skips a test too long for CI on the emulator (many guests at once on two cores) unless
     * -Djvirt.emu.long=true (driver/README.md); on KVM it always runs.
     */
    static void assumeNotLongOnEmulator(String what) {
        org.junit.jupiter.api.Assumptions.assumeTrue(!onEmulator() || Boolean.getBoolean("jvirt.emu.long"),
                "no /dev/kvm: " + what + " on the emulator is long; run with -Djvirt.emu.long=true");
    }

    /** jvirt-vmm's --accel for {@link #guestVirtType}, for tests that run the VMM by hand. */
    static String accel() {
        return onEmulator() ? "emu" : "kvm";
    }

    /**
     * Wall-clock waits for guest progress are multiplied by this: 1 on KVM; on the emulator the
     * guest clock follows the host clock but the guest boots and catches up slower (and two
     * cores are shared by the test JVM, the VMMs and the emulated vCPUs).
     */
    static long waitScale() {
        return onEmulator() ? 3 : 1;
    }

    /** A jvirt-vmm script that runs the VMM from this JVM's class path (the module build may not have made target/lib yet). */
    static Path vmmScript(Path dir) throws IOException {
        Path script = dir.resolve("jvirt-vmm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexec " + java + " -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' org.jvirt.vmm.cli.JvirtVmmMain \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** A domain of {@link #guestVirtType} running GUEST, its serial port and console a pty. */
    static String domainXml(String name, String guest) {
        return domainXml(name, guest, guestVirtType());
    }

    static String domainXml(String name, String guest, String virtType) {
        return "<domain type='" + virtType + "'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUESTS.resolve(guest + ".elf")
                + "</kernel>\n  </os>\n  <devices>\n    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"
                + "    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n  </devices>\n</domain>\n";
    }

    /** Starts ChildClient in its own JVM and waits for its first output line. */
    static Process child(String mode, String uri, Path xmlFile, Path vmm) throws IOException {
        return child(vmm, mode, uri, xmlFile.toString());
    }

    /** Starts ChildClient MODE URI ARGS... in its own JVM and waits for its first output line. */
    static Process child(Path vmm, String mode, String uri, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Djvirt.vmm=" + vmm, "-cp", System.getProperty("java.class.path"),
                ChildClient.class.getName(), mode, uri));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = r.readLine();
        if (line == null) throw new IOException("child client " + mode + " exited before it was ready");
        return p;
    }

    static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}

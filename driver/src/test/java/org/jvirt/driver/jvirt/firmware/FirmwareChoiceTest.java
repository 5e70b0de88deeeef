package org.jvirt.driver.jvirt.firmware;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firmware choice on Debian's own descriptors (package ovmf: /usr/share/qemu/firmware), with
 * the choices the real libvirtd 9.0 + QEMU made for the same domains where jvirt agrees with it
 * (recorded by hand with a session libvirtd; see FirmwareChoice for where it differs).
 */
class FirmwareChoiceTest {

    static final Path DEBIAN = Path.of("/usr/share/qemu/firmware");

    static FirmwareChoice.Request efi(String machine) {
        return new FirmwareChoice.Request("efi", "x86_64", machine, null, null, null, null, Map.of());
    }

    static List<FirmwareDescriptor> debian() throws Exception {
        assumeTrue(Files.isDirectory(DEBIAN), "skipped: " + DEBIAN + " is missing (Debian's ovmf package)");
        return FirmwareDescriptors.load(List.of(DEBIAN));
    }

    @Test
    void pcGetsOvmfWithoutSecureBootAsLibvirtGivesIt() throws Exception {
        FirmwareDescriptor d = FirmwareChoice.choose(debian(), efi("pc-i440fx-7.2")).orElseThrow();
        assertEquals(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), d.executable());
        assertEquals(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), d.nvramTemplate());
        assertEquals("pflash", FirmwareChoice.loaderType(d));
    }

    @Test
    void q35PassesOverTheSmmBuilds() throws Exception {
        // libvirt 9.0 picks 40-edk2-x86_64-secure-enrolled.json (OVMF_CODE_4M.ms.fd, requires-smm) and turns SMM on
        FirmwareDescriptor d = FirmwareChoice.choose(debian(), efi("pc-q35-7.2")).orElseThrow();
        assertEquals(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), d.executable());
        // with secure boot off, libvirt's own choice is this one too
        var noSecure = new FirmwareChoice.Request("efi", "x86_64", "pc-q35-7.2", null, null, null, null, Map.of("secure-boot", false));
        assertEquals(d, FirmwareChoice.choose(debian(), noSecure).orElseThrow());
    }

    @Test
    void whatCannotBeMetFindsNothing() throws Exception {
        var secure = new FirmwareChoice.Request("efi", "x86_64", "pc-q35-7.2", null, null, true, null, Map.of());
        assertTrue(FirmwareChoice.choose(debian(), secure).isEmpty(), "every Secure Boot build needs SMM");
        assertTrue(FirmwareChoice.choose(debian(), efi("pc")).isEmpty(), "descriptors name canonical machine types");
        var rom = new FirmwareChoice.Request("efi", "x86_64", "pc-i440fx-7.2", null, "rom", null, null, Map.of());
        assertTrue(FirmwareChoice.choose(debian(), rom).isEmpty());
        var other = new FirmwareChoice.Request("efi", "x86_64", "pc-i440fx-7.2", "/opt/OVMF.fd", null, null, null, Map.of());
        assertTrue(FirmwareChoice.choose(debian(), other).isEmpty());
        var arm = new FirmwareChoice.Request("efi", "aarch64", "virt-7.2", null, null, null, null, Map.of());
        assertTrue(FirmwareChoice.choose(debian(), arm).isEmpty());
    }

    @Test
    void anEarlierDirectoryHidesOrMasksAName(@TempDir Path tmp) throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc")), share = Files.createDirectories(tmp.resolve("share"));
        String json = """
                {"interface-types": ["uefi"], "mapping": {"device": "flash", "executable": {"filename": "%s", "format": "raw"},
                 "nvram-template": {"filename": "/v.fd", "format": "raw"}},
                 "targets": [{"architecture": "x86_64", "machines": ["pc-i440fx-*"]}], "features": []}""";
        Files.writeString(share.resolve("50-a.json"), json.formatted("/share-a.fd"));
        Files.writeString(share.resolve("60-b.json"), json.formatted("/share-b.fd"));
        Files.writeString(etc.resolve("50-a.json"), json.formatted("/etc-a.fd"));
        assertEquals(Path.of("/etc-a.fd"), FirmwareChoice.choose(FirmwareDescriptors.load(List.of(etc, share)), efi("pc-i440fx-7.2"))
                .orElseThrow().executable());
        Files.writeString(etc.resolve("50-a.json"), "");
        assertEquals(Path.of("/share-b.fd"), FirmwareChoice.choose(FirmwareDescriptors.load(List.of(etc, share)), efi("pc-i440fx-7.2"))
                .orElseThrow().executable());
        Files.writeString(share.resolve("70-bad.json"), "{not json");
        var e = assertThrows(java.io.IOException.class, () -> FirmwareDescriptors.load(List.of(etc, share)));
        assertTrue(e.getMessage().startsWith("cannot parse firmware descriptor '" + share.resolve("70-bad.json") + "'"), e.getMessage());
    }
}

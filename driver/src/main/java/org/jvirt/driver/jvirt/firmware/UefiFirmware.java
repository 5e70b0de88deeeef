package org.jvirt.driver.jvirt.firmware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Features;
import org.jvirt.xml.domain.Loader;
import org.jvirt.xml.domain.Nvram;
import org.jvirt.xml.domain.Os;

/**
 * UEFI as libvirt's qemu driver sets it up: the default {@code <nvram>} of a read-only pflash
 * loader (at define), the checks libvirt makes at define, and at start the firmware chosen for
 * {@code <os firmware='efi'>} ({@link FirmwareChoice}) and the domain's variable store made from
 * its template when it does not exist yet (or on {@code start --reset-nvram}).
 */
public final class UefiFirmware {

    private UefiFirmware() { }

    /** Where a domain's variable store goes when its XML names none: NAME_VARS.fd in nvramDir, as libvirt names it. */
    public static Path defaultNvram(Path nvramDir, String name) {
        return nvramDir.resolve(name + "_VARS.fd");
    }

    /** Post-parse: a read-only pflash loader without {@code <nvram>} gets the default path (no template yet). */
    public static void applyDefaults(Domain d, Path nvramDir) {
        Os os = d.getOs();
        if (os == null || os.getLoader() == null || os.getNvram() != null) return;
        Loader l = os.getLoader();
        if ("pflash".equals(l.getType()) && "yes".equals(l.getReadonly())) {
            os.setNvram(new Nvram().withValue(defaultNvram(nvramDir, d.getName().trim()).toString()));
        }
    }

    /** libvirt's define-time checks of a UEFI domain (qemu_validate.c), in its words. */
    public static void validate(Domain d) throws LibvirtException {
        Os os = d.getOs();
        if (os == null) return;
        Loader l = os.getLoader();
        boolean uefi = "efi".equals(os.getFirmware()) || (l != null && "pflash".equals(l.getType()));
        Features f = d.getFeatures();
        if (uefi && (f == null || f.getAcpi() == null)) throw unsupported("UEFI requires ACPI on this architecture");
        String machine = os.getType() == null ? null : os.getType().getMachine();
        if (l != null && "yes".equals(l.getSecure()) && !MachineTypes.isQ35(machine)) {
            throw unsupported("Secure boot is supported with q35 machine types only");
        }
    }

    /**
     * The definition a start runs (a copy when something is filled in): {@code <os firmware='efi'>}
     * becomes the chosen firmware's loader and nvram (the attribute goes, as in libvirt's live XML),
     * a pflash loader's nvram gets the template of the descriptor for its image, and the nvram file is
     * created from the template when missing or when reset is asked. descriptors is read only when needed.
     */
    public static Domain prepare(Domain d, DescriptorSource descriptors, Path nvramDir, boolean reset) throws LibvirtException {
        Os os = d.getOs();
        if (os == null) return d;
        String machine = MachineTypes.canonical(os.getType() == null ? null : os.getType().getMachine());
        String arch = os.getType() == null || os.getType().getArch() == null ? "x86_64" : os.getType().getArch();
        if ("efi".equals(os.getFirmware())) {
            Loader l = os.getLoader();
            Map<String, Boolean> features = os.getFirmwareFeatures() == null ? Map.of() : os.getFirmwareFeatures().features();
            var request = new FirmwareChoice.Request("efi", arch, machine, l == null ? null : blankToNull(l.trimmed()),
                    l == null ? null : l.getType(), l == null || l.getSecure() == null ? null : "yes".equals(l.getSecure()),
                    os.getNvram() == null ? null : os.getNvram().getTemplate(), features);
            FirmwareDescriptor fw = FirmwareChoice.choose(descriptors.get(), request).orElseThrow(() ->
                    new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                            "Unable to find any firmware to satisfy 'efi'"));
            os.setFirmware(null);
            Loader loader = new Loader().withValue(fw.executable().toString());
            loader.setReadonly("yes");
            if (fw.has("secure-boot")) loader.setSecure("yes");
            loader.setType(FirmwareChoice.loaderType(fw));
            os.setLoader(loader);
            Nvram nvram = os.getNvram() != null ? os.getNvram()
                    : new Nvram().withValue(defaultNvram(nvramDir, d.getName().trim()).toString());
            if (fw.nvramTemplate() != null) nvram.setTemplate(fw.nvramTemplate().toString());
            os.setNvram(nvram);
        } else if (os.getLoader() != null && "pflash".equals(os.getLoader().getType()) && os.getNvram() != null
                && os.getNvram().getTemplate() == null) {
            Path image = Path.of(os.getLoader().trimmed());
            for (FirmwareDescriptor fw : descriptors.get()) {
                if (image.equals(fw.executable()) && fw.nvramTemplate() != null) {
                    os.getNvram().setTemplate(fw.nvramTemplate().toString());
                    break;
                }
            }
        }
        Nvram nvram = os.getNvram();
        if (nvram != null) createStore(Path.of(nvram.trimmed()), nvram.getTemplate(), reset);
        return d;
    }

    /** The domain's variable store from its template (0600, written whole then renamed), unless it exists and no reset is asked. */
    static void createStore(Path store, String template, boolean reset) throws LibvirtException {
        if (Files.exists(store) && !reset) return;
        if (template == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "unable to find any master var store for loader");
        }
        try {
            Files.createDirectories(store.getParent());
            Path tmp = store.resolveSibling(store.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newOutputStream(tmp)) {
                Files.copy(Path.of(template), out);
            }
            Files.move(tmp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "Failed to create file '" + store + "': " + e.getMessage());
        }
    }

    /** The variable store of a definition: its {@code <nvram>}, the default one of {@code firmware='efi'}, or null. */
    public static Path nvramFile(Domain d, Path nvramDir) {
        Os os = d.getOs();
        if (os == null) return null;
        if (os.getNvram() != null && blankToNull(os.getNvram().trimmed()) != null) return Path.of(os.getNvram().trimmed());
        return "efi".equals(os.getFirmware()) ? defaultNvram(nvramDir, d.getName().trim()) : null;
    }

    /** The descriptors, read when a start needs them. */
    @FunctionalInterface
    public interface DescriptorSource {
        List<FirmwareDescriptor> get() throws LibvirtException;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static LibvirtException unsupported(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, what);
    }
}

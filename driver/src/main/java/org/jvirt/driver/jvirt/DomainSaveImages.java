package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.DomainStore.requireActive;
import static org.jvirt.driver.jvirt.JvirtErrors.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.xml.domain.devices.CharDevice;
import org.jvirt.xml.domain.devices.Devices;

/**
 * virDomainSave / virDomainRestore on jvirt URIs. The save image is the VMM's machine-state
 * file, with the domain XML in its optional section "domain-xml" (libvirt's image has a header
 * and the XML before QEMU's stream; one file keeps the pair atomic: the VMM writes a temporary
 * file and renames it, so the target is the old image or a complete new one). Restore reads
 * and validates the image (all checksums, not the RAM) before anything is started, defines
 * nothing persistent, and starts a VMM with --restore under the image's name and uuid.
 */
final class DomainSaveImages {

    /** A save writes all of guest RAM (sparse): minutes, not the control socket's seconds. */
    private static final Duration SAVE_TIMEOUT = Duration.ofMinutes(10);

    private final DomainStore store;
    private final DomainLocks locks;
    private final JvirtPaths paths;
    private final DomainLifecycle lifecycle;

    DomainSaveImages(DomainStore store, DomainLifecycle lifecycle) {
        this.store = store;
        this.locks = store.locks();
        this.paths = store.paths();
        this.lifecycle = lifecycle;
    }

    /** virDomainSaveFlags: dxml (null: the live XML) goes into the image after the ABI check; Flags.Save. */
    void save(DomainRef d, String to, String dxml, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, Flags.Save.BYPASS_CACHE | Flags.Save.RUNNING | Flags.Save.PAUSED, "qemuDomainSaveFlags");
        Path file = Path.of(to).toAbsolutePath().normalize();
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = requireActive(store.obj(d));
            String xml = dxml == null ? null : compatibleXml(imageXml(o.liveDef()), dxml);
            // qemuDomainOpenFile's words, before the guest is paused for nothing
            if (!Files.isDirectory(file.getParent())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                        "Failed to create file '" + to + "': No such file or directory");
            }
            saveTo(o, file, xml, flags);
        }
    }

    // ---------------------------------------------------------------- managed save

    /** virDomainManagedSave: the image goes to the config dir's save/NAME.save; the next start resumes it. */
    void managedSave(DomainRef d, int flags) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = store.obj(d);
            if (!o.persistent()) throw JvirtErrors.invalid("cannot do managed save for transient domain");
            requireActive(o);
            PrivateDirs.ensure(paths.managedSave(o.name()).getParent());
            saveTo(o, paths.managedSave(o.name()), null, flags);
        } catch (IOException e) {
            throw io(e);
        }
    }

    boolean hasManagedSave(DomainRef d) throws LibvirtException {
        return Files.exists(paths.managedSave(store.obj(d).name()));
    }

    void managedSaveRemove(DomainRef d) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            AtomicFiles.delete(paths.managedSave(store.obj(d).name()));
        } catch (IOException e) {
            throw io(e);
        }
    }

    String managedSaveXml(DomainRef d) throws LibvirtException {
        Path image = paths.managedSave(store.obj(d).name());
        if (!Files.exists(image)) throw JvirtErrors.invalid("domain does not have managed save image");
        return read(image, image.toString()).domainXml();
    }

    /**
     * qemuDomainObjStart with a managed save image: the domain resumes from it (its XML, its
     * run state unless START_PAUSED), and the image is removed once the VMM runs; START_FORCE_BOOT
     * discards it. Returns false when there is no image (the caller boots).
     */
    boolean startFromManagedSave(DomainRef d, int flags) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = store.obj(d);
            Path image = paths.managedSave(o.name());
            if (o.active() || !Files.exists(image)) return false;
            if ((flags & Flags.Create.START_FORCE_BOOT) != 0) {
                AtomicFiles.delete(image);
                return false;
            }
            MachineStateFile.SavedDomain saved = read(image, image.toString());
            boolean paused = (flags & Flags.Create.START_PAUSED) != 0 || !saved.wasRunning();
            lifecycle.restore(saved.domainXml(), image, paused);
            AtomicFiles.delete(image);
            return true;
        } catch (IOException e) {
            throw io(e);
        }
    }

    // ---------------------------------------------------------------- the image

    /**
     * Has the domain's VMM write its state and XML (null: the live one) to file and exit; reaps it
     * as saved. Flags.Save: RUNNING or PAUSED is the state a restore brings back, BYPASS_CACHE
     * leaves the file out of the host's page cache.
     */
    private void saveTo(StoredDomain o, Path file, String xml, int flags) throws LibvirtException {
        try {
            Boolean running = (flags & Flags.Save.RUNNING) != 0 ? Boolean.TRUE : (flags & Flags.Save.PAUSED) != 0 ? Boolean.FALSE : null;
            Command.JvirtSave save = new Command.JvirtSave(file.toString(), xml != null ? xml : imageXml(o.liveDef()), running,
                    (flags & Flags.Save.BYPASS_CACHE) != 0);
            try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), SAVE_TIMEOUT)) {
                c.call(save);
            } catch (IOException e) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                        "cannot save domain '" + o.name() + "': " + e.getMessage());
            }
            // the VMM exits after answering; its exit file says "saved" (a reconciler that finds
            // it gone first, e.g. after this client was killed, reaps it with that reason too)
            ProcessHandle p = ProcessHandle.of(o.status().pid()).orElse(null);
            if (p != null) {
                try {
                    p.onExit().get(DomainLifecycle.DESTROY_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            }
            VmmPidFile.killHolder(paths.pidFile(o.name()), DomainLifecycle.DESTROY_GRACE);
            store.reap(o.name(), ShutoffReason.SAVED);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** flags: Flags.Save RUNNING or PAUSED override the state the domain was saved in. */
    DomainRef restore(String from, int flags) throws LibvirtException {
        return restore(from, null, flags);
    }

    /** As restore, with dxml (null: the image's) as the domain's XML once it is checked against the image's. */
    DomainRef restore(String from, String dxml, int flags) throws LibvirtException {
        Path file = Path.of(from).toAbsolutePath().normalize();
        MachineStateFile.SavedDomain image = read(file, from);
        String xml = dxml == null ? image.domainXml() : compatibleXml(image.domainXml(), dxml);
        // as libvirt: back in the state it was saved in, unless the caller says otherwise
        boolean startPaused = (flags & Flags.Save.PAUSED) != 0
                || ((flags & Flags.Save.RUNNING) == 0 && !image.wasRunning());
        return lifecycle.restore(xml, file, startPaused);
    }

    /** virDomainSaveImageGetXMLDesc: the XML section of a validated image. */
    String imageXml(String from) throws LibvirtException {
        return read(Path.of(from).toAbsolutePath().normalize(), from).domainXml();
    }

    /**
     * virDomainSaveImageDefineXML: the image is rewritten with the new XML (a new file renamed
     * into place: a running restored guest may map the old one), after the compatibility check.
     */
    void defineImageXml(String from, String dxml, int flags) throws LibvirtException {
        defineImageXml(Path.of(from).toAbsolutePath().normalize(), from, dxml, flags);
    }

    /** virDomainManagedSaveDefineXML: the same on the domain's managed save image. */
    void managedSaveDefineXml(DomainRef d, String dxml, int flags) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            Path image = paths.managedSave(store.obj(d).name());
            if (!Files.exists(image)) throw JvirtErrors.invalid("domain does not have managed save image");
            defineImageXml(image, image.toString(), dxml, flags);
        }
    }

    /** flags: Flags.Save RUNNING or PAUSED record the state the domain comes back in. */
    private void defineImageXml(Path file, String from, String dxml, int flags) throws LibvirtException {
        String xml = compatibleXml(read(file, from).domainXml(), dxml);
        Boolean running = (flags & Flags.Save.RUNNING) != 0 ? Boolean.TRUE : (flags & Flags.Save.PAUSED) != 0 ? Boolean.FALSE : null;
        try {
            MachineStateFile.replaceDomainXml(file, xml, running);
        } catch (StateFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "image is not a valid jvirt save image: " + e.getMessage());
        } catch (IOException e) {
            throw openFailed(from, e.getMessage());
        }
    }

    /**
     * qemuSaveImageUpdateDef's virDomainDefCheckABIStability ({@link AbiCheck}): the new XML
     * must describe the same machine as the image's.
     * Returns the new XML formatted as an inactive definition.
     */
    private String compatibleXml(String imageXml, String dxml) throws LibvirtException {
        DomainDefinition src = lifecycle.parseDefinition(imageXml);
        DomainDefinition dst = lifecycle.parseDefinition(dxml);
        AbiCheck.check(src, dst);
        return dst.format(-1);
    }


    /** Reads and validates an image (not its RAM); from: the path as the caller gave it, for messages. */
    private static MachineStateFile.SavedDomain read(Path file, String from) throws LibvirtException {
        MachineStateFile.SavedDomain image;
        try {
            image = MachineStateFile.savedDomain(file);
        } catch (NoSuchFileException e) {
            throw openFailed(from, "No such file or directory");
        } catch (AccessDeniedException e) {
            throw openFailed(from, "Permission denied");
        } catch (StateFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "image is not a valid jvirt save image: " + e.getMessage());
        } catch (IOException e) {
            if (Files.isDirectory(file)) throw openFailed(from, "Is a directory");
            throw openFailed(from, e.getMessage());
        }
        if (image.domainXml() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "image has no domain XML: " + from + " is a machine state file, not a saved domain");
        }
        return image;
    }

    /** qemuDomainOpenFile's wording. */
    private static LibvirtException openFailed(String path, String why) {
        return new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                "Failed to open file '" + path + "': " + why);
    }

    /**
     * The XML the image carries: the live definition as libvirt formats it for a save image
     * (inactive: no id, no pty paths the next VMM will not have).
     */
    static String imageXml(DomainDefinition live) {
        DomainDefinition def = live.copy();
        Devices devs = def.model().getDevices();
        if (devs != null) {
            for (CharDevice c : concat(devs)) {
                if (!"pty".equals(c.getType()) && c.getType() != null) continue;
                c.setTty(null);
                for (var s : new ArrayList<>(c.getSources())) c.removeSource(s);
            }
        }
        return def.format(-1);
    }

    private static java.util.List<CharDevice> concat(Devices devs) {
        java.util.List<CharDevice> out = new ArrayList<>(devs.getSerials());
        out.addAll(devs.getConsoles());
        return out;
    }
}

package org.jvirt.vmm.machine;

import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.cpu.state.VcpuStateSection;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.platform.PlatformState;
import org.jvirt.vmm.platform.PlatformStateSection;
import org.jvirt.vmm.state.MemoryChannel;
import org.jvirt.vmm.state.RawPayloadSink;
import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A paused machine's state in one state file: "platform", "vcpu0".. "vcpuN-1", "ram.layout"
 * (the guest-physical RAM regions) and "ram" (the regions back to back; all-zero pages are
 * left as holes, so the file is sparse), and one section per device ("com1", "i8042", "rtc",
 * "acpi-pm", "pci-host", "virtio-blkN") holding its {@link org.jvirt.vmm.devices.Snapshottable}
 * stream.
 */
public final class MachineStateFile {
    private MachineStateFile() { }

    public static final String RAM = "ram", RAM_LAYOUT = "ram.layout";
    /**
     * An optional section (readers that do not know it skip it) holding the libvirt domain XML
     * of a saved domain, UTF-8, as libvirt's save image carries it beside QEMU's stream: the
     * driver writes it through the VMM and reads it back to restore.
     */
    public static final String DOMAIN_XML = "domain-xml";
    static final int DOMAIN_XML_VERSION = 1;
    /** An optional section: u8 1 if the VM was running when saved, 0 if paused (libvirt restores it so). */
    public static final String RUN_STATE = "run-state";
    static final int RUN_STATE_VERSION = 1;
    private static final int DOMAIN_XML_MAX = 16 << 20;
    static final int RAM_VERSION = 1, RAM_LAYOUT_VERSION = 1;
    private static final Pattern VCPU = Pattern.compile("vcpu(0|[1-9][0-9]{0,3})");

    /** Writes the machine's state; the machine must be paused ({@link Machine#pause}) and stays so. */
    public static void save(Machine m, Path path) throws IOException, InterruptedException {
        save(m, path, null, null, new SaveProgress(m.memory().size()));
    }

    /**
     * As {@link #save(Machine, Path)}, with the domain XML (null: none) in section
     * {@value #DOMAIN_XML} and whether the VM was running (before the pause for the save) in
     * section {@value #RUN_STATE}.
     */
    public static void save(Machine m, Path path, String domainXml, boolean wasRunning) throws IOException, InterruptedException {
        save(m, path, domainXml, wasRunning, new SaveProgress(m.memory().size()));
    }

    /** As {@link #save(Machine, Path, String, boolean)}, counting the RAM it has gone through in progress (total: the RAM's size). */
    public static void save(Machine m, Path path, String domainXml, Boolean wasRunning, SaveProgress progress)
            throws IOException, InterruptedException {
        save(m, path, domainXml, wasRunning, progress, true);
    }

    /**
     * The paused machine's state without its RAM (platform, devices, vCPUs and the RAM layout),
     * in memory, in the state file's format: what live migration sends after the RAM's pages,
     * for {@link #restoreWithoutRam}.
     */
    public static byte[] saveWithoutRam(Machine m) throws IOException, InterruptedException {
        MemoryChannel ch = new MemoryChannel();
        try (StateWriter w = StateWriter.inMemory(ch)) {
            write(m, w, null, null, new SaveProgress(0), false);
        }
        return ch.toByteArray();
    }

    private static void save(Machine m, Path path, String domainXml, Boolean wasRunning, SaveProgress progress, boolean withRam)
            throws IOException, InterruptedException {
        try (StateWriter w = StateWriter.create(path)) {
            write(m, w, domainXml, wasRunning, progress, withRam);
        }
    }

    /**
     * Refuses a machine whose state the format cannot hold yet: SATA drives (the AHCI
     * controller's ports). A firmware-booted machine is saved with its fw_cfg position and its
     * variable store (the ROM and the code unit are the same files on restore, the BIOS shadow is
     * RAM), IDE drives with their channels (the media are the restoring side's configuration, as
     * libvirt's live XML gives them). Save, snapshots and migration ask before they start (no RAM
     * sent, no disk snapshot made).
     */
    public static void requireSavable(MachineConfig c) throws IOException {
        if (!c.sataDrives().isEmpty()) throw new IOException("saving the state of a VM with SATA drives is not supported yet");
    }

    private static void write(Machine m, StateWriter w, String domainXml, Boolean wasRunning, SaveProgress progress, boolean withRam)
            throws IOException, InterruptedException {
        requireSavable(m.config());
        if (m.board().ahciInUse()) throw new IOException("saving the state of a VM whose guest uses the AHCI controller is not supported yet");
        long t0 = System.nanoTime();
        PlatformState platform = m.exportPlatformState();
        long t1 = System.nanoTime();
        List<VcpuState> cpus = m.exportVcpuStates();
        long t2 = System.nanoTime();
        MmapGuestMemory mem = m.memory();
        List<byte[]> devices = new ArrayList<>();
        for (PcBoard.DeviceSection d : m.board().stateSections()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            d.device().saveState(new DataOutputStream(b));
            devices.add(b.toByteArray());
        }
        if (TRACE && !withRam) {
            System.err.printf("jvirt-vmm: state export: platform %.1f ms, vCPUs %.1f ms, devices %.1f ms%n",
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6, (System.nanoTime() - t2) / 1e6);
        }
        {
            if (domainXml != null) {
                byte[] xml = domainXml.getBytes(StandardCharsets.UTF_8);
                w.optionalSection(DOMAIN_XML, DOMAIN_XML_VERSION, out -> out.fixedBytes(xml));
            }
            if (wasRunning != null) w.optionalSection(RUN_STATE, RUN_STATE_VERSION, out -> out.u8(wasRunning ? 1 : 0));
            if (MachineSection.describes(m.config())) {
                w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, m.config()));
            }
            w.section(PlatformStateSection.ID, PlatformStateSection.VERSION, out -> PlatformStateSection.write(out, platform));
            List<PcBoard.DeviceSection> ds = m.board().stateSections();
            for (int i = 0; i < ds.size(); i++) {
                byte[] b = devices.get(i);
                w.section(ds.get(i).id(), ds.get(i).version(), out -> out.fixedBytes(b));
            }
            for (int i = 0; i < cpus.size(); i++) {
                VcpuState s = cpus.get(i);
                w.section(VcpuStateSection.id(i), VcpuStateSection.VERSION, out -> VcpuStateSection.write(out, s));
            }
            w.section(RAM_LAYOUT, RAM_LAYOUT_VERSION, out -> {
                out.u32(mem.regions().size());
                for (MmapGuestMemory.Region r : mem.regions()) out.u64(r.start()).u64(r.size());
            });
            if (withRam) w.rawSection(RAM, RAM_VERSION, mem.size(), sink -> RamSection.write(mem, sink, progress));
            w.commit();
        }
    }

    /**
     * The machine a state file was saved from (RAM, vCPUs, disks, boot image paths), with COM1
     * on SERIAL and the given backend, after validating the whole file as {@link #savedDomain}
     * does. A file without that section (jvirt before it wrote one) is refused: such a file
     * restores only into a machine built from the same options.
     */
    public static MachineConfig savedMachine(Path path, MachineConfig.Serial serial, MachineConfig.Accel accel) throws IOException {
        try (StateReader r = StateReader.open(path, id -> true)) {
            if (!r.has(MachineSection.ID)) {
                throw new StateFormatException(String.format("state file %s does not describe its machine (section '%s'); "
                        + "give the machine's options (--kernel, --bios or --pflash ...) to restore it", path, MachineSection.ID));
            }
            return MachineSection.read(r.section(MachineSection.ID)).withSerial(serial).withAccel(accel);
        }
    }

    /**
     * Builds the machine a state file describes ({@link #savedMachine}) and restores the file into
     * it, without reading its kernel: the machine is left paused, ready to {@link Machine#resume}.
     * On any error nothing is left running.
     */
    public static Machine restoreMachine(Path path, MachineConfig.Serial serial, MachineConfig.Accel accel)
            throws IOException, InterruptedException {
        Machine m = Machine.createForRestore(savedMachine(path, serial, accel));
        try {
            m.startForRestore();
            restore(m, path);
            return m;
        } catch (IOException | InterruptedException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Runs the save and restore code once on this paused machine, before it takes its real load
     * request: its own (power-on) state goes to a scratch file (in /dev/shm where there is one)
     * and comes back, and the file is deleted. A fresh JVM otherwise loads, links and interprets
     * all of that code during the restore (measured: ~30 ms cold at 1 GiB against ~3 ms primed);
     * this moves that cost to the process start, where a JVM's start-up belongs.
     */
    public static void primeRestore(Machine m) throws IOException, InterruptedException {
        Path scratch = java.nio.file.Files.createTempFile(StateCodeWarmup.scratchDir(), "jvirt-prime-", ".state");
        try {
            save(m, scratch);
            restore(m, scratch);
        } finally {
            java.nio.file.Files.deleteIfExists(scratch); // the mapping keeps its (sparse, nearly empty) pages until the real restore
        }
    }

    /**
     * The same for a machine waiting for an incoming migration: the state code without RAM runs
     * on its own power-on state, so the migration's downtime does not pay for a cold JVM
     * (measured at 1 GiB: the destination's restore 20-35 ms cold, 3-8 ms primed once).
     */
    public static void primeIncoming(Machine m) throws IOException, InterruptedException {
        primeIncoming(m, 1);
    }

    /**
     * As {@link #primeIncoming(Machine)}, loading that state the given number of times: enough
     * and HotSpot compiles the loading code (measured: a load 0.9 ms interpreted, 0.3 ms after
     * 200, and the stop-and-copy's load on the destination 3-5 ms primed once, 1 ms primed 300
     * times). Nothing else runs in the process yet, so nothing competes with it.
     */
    public static void primeIncoming(Machine m, int loads) throws IOException, InterruptedException {
        byte[] state = saveWithoutRam(m);
        for (int i = 0; i < loads; i++) restoreWithoutRam(m, state);
    }

    /** What a saved domain's image says beside the machine: its XML (null if none), whether it ran. */
    public record SavedDomain(String domainXml, boolean wasRunning) { }

    /**
     * The domain XML and run state of a state file. The whole file is validated first (headers,
     * checksums, end marker; RAM is not read), so a truncated or corrupted file is refused here
     * with a {@link StateFormatException} before anything acts on it.
     */
    public static SavedDomain savedDomain(Path path) throws IOException {
        try (StateReader r = StateReader.open(path, id -> true)) {
            String xml = null;
            if (r.has(DOMAIN_XML)) {
                SectionInput in = r.section(DOMAIN_XML).requireVersion(DOMAIN_XML_VERSION);
                if (in.remaining() > DOMAIN_XML_MAX) throw in.error(0, "domain XML over " + DOMAIN_XML_MAX + " bytes");
                xml = new String(in.fixedBytes(in.remaining()), StandardCharsets.UTF_8);
            }
            boolean running = true;
            if (r.has(RUN_STATE)) {
                SectionInput in = r.section(RUN_STATE).requireVersion(RUN_STATE_VERSION);
                running = in.u8() != 0;
                in.expectEnd();
            }
            return new SavedDomain(xml, running);
        }
    }

    /**
     * Writes a copy of the validated file with its domain XML replaced (virDomainSaveImageDefineXML):
     * a new file renamed over the old one, never a change in place, since a restored guest may
     * map the old file's RAM. Every other section is copied as it is; RAM stays sparse.
     */
    public static void replaceDomainXml(Path path, String domainXml) throws IOException {
        replaceDomainXml(path, domainXml, null);
    }

    /** As {@link #replaceDomainXml(Path, String)}, and the run state when wasRunning is not null. */
    public static void replaceDomainXml(Path path, String domainXml, Boolean wasRunning) throws IOException {
        byte[] xml = domainXml.getBytes(StandardCharsets.UTF_8);
        try (StateReader r = StateReader.open(path, id -> true); StateWriter w = StateWriter.create(path.toRealPath())) {
            if (!r.has(DOMAIN_XML)) w.optionalSection(DOMAIN_XML, DOMAIN_XML_VERSION, out -> out.fixedBytes(xml));
            if (wasRunning != null && !r.has(RUN_STATE)) w.optionalSection(RUN_STATE, RUN_STATE_VERSION, out -> out.u8(wasRunning ? 1 : 0));
            for (StateReader.SectionInfo s : r.sections()) {
                if (s.id().equals(DOMAIN_XML)) {
                    w.optionalSection(DOMAIN_XML, DOMAIN_XML_VERSION, out -> out.fixedBytes(xml));
                } else if (s.id().equals(RUN_STATE) && wasRunning != null) {
                    w.optionalSection(RUN_STATE, RUN_STATE_VERSION, out -> out.u8(wasRunning ? 1 : 0));
                } else if (s.unchecked()) {
                    w.rawSection(s.id(), s.version(), s.length(), sink -> copyRaw(r, s, sink));
                } else {
                    SectionInput in = r.section(s.id());
                    byte[] b = in.fixedBytes(in.remaining());
                    if (s.required()) w.section(s.id(), s.version(), out -> out.fixedBytes(b));
                    else w.optionalSection(s.id(), s.version(), out -> out.fixedBytes(b));
                }
            }
            w.commit();
        }
    }

    /** Copies a raw section page by page, leaving holes for zero pages as the save did. */
    private static void copyRaw(StateReader r, StateReader.SectionInfo s, RawPayloadSink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        long at = 0;
        while (at < s.length()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), s.length() - at));
            r.readRaw(s.id(), at, chunk);
            chunk.flip();
            while (chunk.hasRemaining()) {
                int n = Math.min(4096, chunk.remaining());
                ByteBuffer page = chunk.slice(chunk.position(), n);
                if (isZero(page)) sink.skipZeros(n);
                else sink.write(page);
                chunk.position(chunk.position() + n);
            }
            at += chunk.limit();
        }
    }

    private static boolean isZero(ByteBuffer page) {
        for (int i = 0; i < page.limit(); i += 8) {
            if (page.limit() - i >= 8 ? page.getLong(i) != 0 : page.get(i) != 0) return false;
        }
        return true;
    }

    /**
     * Replaces the paused machine's RAM, platform and vCPU state with the file's. The whole file
     * is validated and decoded first, and checked against this machine (vCPU count, RAM
     * layout): on any StateFormatException the machine is untouched. The file's RAM section
     * becomes the guest's RAM, mapped copy-on-write (nothing is copied): the file must then not
     * change while this machine lives; {@link #save} never changes a file in place (it writes a
     * new one and renames it over the old).
     */
    public static void restore(Machine m, Path path) throws IOException, InterruptedException {
        restore(m, path, true);
    }

    /** JVIRT_MIGRATION_TRACE=1: where a state load's time goes, on stderr. */
    private static final boolean TRACE = System.getenv("JVIRT_MIGRATION_TRACE") != null;

    /**
     * Restores state of {@link #saveWithoutRam} into this paused machine, whose RAM already holds
     * the guest's (live migration wrote it page by page); the same checks as {@link #restore}.
     */
    public static void restoreWithoutRam(Machine m, byte[] state) throws IOException, InterruptedException {
        m.requirePaused();
        try (StateReader r = StateReader.inMemory(state, "migration state", understood(m))) {
            load(m, r, Path.of("migration state"), false);
        }
    }

    private static void restore(Machine m, Path path, boolean withRam) throws IOException, InterruptedException {
        m.requirePaused();
        try (StateReader r = StateReader.open(path, understood(m))) {
            load(m, r, path, withRam);
        }
    }

    /** The sections a restore into m reads: platform, RAM and its layout, vCPUs, m's devices. */
    private static java.util.function.Predicate<String> understood(Machine m) {
        Set<String> deviceIds = new HashSet<>();
        for (PcBoard.DeviceSection d : m.board().stateSections()) deviceIds.add(d.id());
        return id -> id.equals(PlatformStateSection.ID) || id.equals(RAM) || id.equals(RAM_LAYOUT) || VCPU.matcher(id).matches()
                || deviceIds.contains(id);
    }

    private static void load(Machine m, StateReader r, Path path, boolean withRam) throws IOException, InterruptedException {
        MmapGuestMemory mem = m.memory();
        long t0 = System.nanoTime();
        List<PcBoard.DeviceSection> devices = m.board().stateSections();
        {
            PlatformState platform = PlatformStateSection.read(r.section(PlatformStateSection.ID));
            List<SectionInput> deviceStates = new ArrayList<>();
            for (PcBoard.DeviceSection d : devices) deviceStates.add(r.section(d.id()).requireVersion(d.version()));
            int count = 0;
            while (r.has(VcpuStateSection.id(count))) count++;
            int expected = m.config().vcpus();
            long vcpuSections = r.sections().stream().filter(s -> VCPU.matcher(s.id()).matches()).count();
            if (count != expected || vcpuSections != count) {
                throw new StateFormatException(String.format("state file %s holds %d vCPUs, this machine has %d", path, vcpuSections, expected));
            }
            List<VcpuState> cpus = new ArrayList<>();
            for (int i = 0; i < count; i++) cpus.add(VcpuStateSection.read(r.section(VcpuStateSection.id(i))));
            checkLayout(path, r.section(RAM_LAYOUT), mem);
            StateReader.SectionInfo ram = withRam ? r.raw(RAM) : null;
            if (ram != null && ram.version() > RAM_VERSION) {
                throw new StateFormatException(String.format("section '%s' has version %d, newer than this jvirt reads (up to %d)",
                        RAM, ram.version(), RAM_VERSION));
            }
            if (ram != null && ram.length() != mem.size()) {
                throw new StateFormatException(String.format("state file %s: section 'ram' has %d bytes, the layout says %d",
                        path, ram.length(), mem.size()));
            }
            // everything is known good: now touch the machine
            long t1 = System.nanoTime();
            if (ram != null) RamSection.map(mem, path, ram.payloadOffset());
            m.importPlatformState(platform);
            long t2 = System.nanoTime();
            // a device's stream is only decoded as it is loaded: the checksums vouch for the bytes,
            // so a failure here means a writer bug, and the machine is then left half restored
            for (int i = 0; i < devices.size(); i++) loadDevice(devices.get(i).device(), deviceStates.get(i));
            m.board().stateRestored();
            long t3 = System.nanoTime();
            m.importVcpuStates(cpus);
            if (TRACE) {
                System.err.printf("jvirt-vmm: state load: read and check %.1f ms, platform %.1f ms, devices %.1f ms, vCPUs %.1f ms%n",
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (System.nanoTime() - t3) / 1e6);
            }
        }
    }

    private static void loadDevice(Snapshottable device, SectionInput in) {
        byte[] b = in.fixedBytes(in.remaining());
        ByteArrayInputStream bytes = new ByteArrayInputStream(b);
        try {
            device.loadState(new DataInputStream(bytes), in.version());
        } catch (IOException e) {
            throw in.error(b.length - bytes.available(), "device state does not decode: " + e.getMessage());
        }
        if (bytes.available() > 0) throw in.error(b.length - bytes.available(), bytes.available() + " unread bytes after the device state");
    }

    private static void checkLayout(Path path, SectionInput in, MmapGuestMemory mem) {
        in.requireVersion(RAM_LAYOUT_VERSION);
        int n = in.count(1024, "RAM region");
        StringBuilder saved = new StringBuilder(), here = new StringBuilder();
        for (int i = 0; i < n; i++) saved.append(String.format(" 0x%x+0x%x", in.u64(), in.u64()));
        in.expectEnd();
        for (MmapGuestMemory.Region r : mem.regions()) here.append(String.format(" 0x%x+0x%x", r.start(), r.size()));
        if (!saved.toString().equals(here.toString())) {
            throw new StateFormatException(String.format("state file %s: its RAM layout (%s) differs from this machine's (%s)",
                    path, saved.toString().trim(), here.toString().trim()));
        }
    }
}

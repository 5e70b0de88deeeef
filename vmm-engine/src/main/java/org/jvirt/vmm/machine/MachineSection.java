package org.jvirt.vmm.machine;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.SectionOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Section "machine" of a state file: what the machine was built from (RAM size, vCPU count,
 * disks, and where its boot image lives), so that a restore can build the same machine from
 * the file alone. The boot image is named, not carried: nothing reads it on a restore, only a
 * later guest reset does (as QEMU's restore needs the same -kernel on its command line). The
 * serial port and the backend belong to the process that restores, not to the saved machine.
 * Version 2 appends the board (u8: 0 pc, 1 q35); a version 1 section is a pc. Version 3 appends
 * the virtio-rng's host source (a path, empty: none), then
 * the NICs (u32 count; each: tap name, bridge ("" for none), MAC, offload); before it, none.
 * Version 4 appends to each NIC its stream socket path ("" for a tap NIC; --nic stream: passt's
 * socket, connected again on a restore).
 * Version 5 appends the display adapter (u8: 0 none, 1 std VGA); before it, none.
 * Version 6 appends whether there is a USB controller (bool), then the input devices besides the
 * PS/2 pair (u32 count; each: u8 kind 0 keyboard, 1 mouse, 2 tablet; u8 bus 0 usb, 1 virtio);
 * before it, none. Version 7 appends, when there is a USB controller, its port count (u8; version 6: QEMU's 4).
 * Version 8 appends whether there is a memory balloon (bool), then, when there is, its
 * deflate-on-oom (bool) and stats period (u32 seconds); before it, none.
 * PCI places are not kept (as the disks' are not): a restore with --kernel takes them from its command line.
 */
final class MachineSection {
    private MachineSection() { }

    static final String ID = "machine";
    static final int VERSION = 8;
    /** The first version with the memory balloon. */
    static final int BALLOON_SINCE = 8;
    /** The first version with the display byte (it follows the NICs). */
    static final int DISPLAY_SINCE = 5;
    /** The first version with the USB controller and input devices (they follow the display). */
    static final int INPUTS_SINCE = 6;
    /** The first version with the USB controller's port count. */
    static final int USB_PORTS_SINCE = 7;
    /** Boards by their number in the section (append only). */
    private static final List<MachineConfig.Chipset> CHIPSETS = List.of(MachineConfig.Chipset.PC, MachineConfig.Chipset.Q35);
    /** Display adapters by their number in the section (append only). */
    private static final List<MachineConfig.Video> VIDEOS = List.of(MachineConfig.Video.NONE, MachineConfig.Video.VGA, MachineConfig.Video.BOCHS, MachineConfig.Video.VIRTIO,
            MachineConfig.Video.VIRTIO_VGA);
    private static final int MAX_PATH = 4096, MAX_CMDLINE = 1 << 16, MAX_DISKS = 64, MAX_NICS = 64, MAX_NAME = 64, MAX_INPUTS = 64;
    /** Disk formats by their number in the section (append only: files name them by index). */
    private static final List<ImageFormat> FORMATS = List.of(ImageFormat.RAW, ImageFormat.QCOW2);

    /**
     * Whether this section can describe c: a kernel boot without IDE drives (a firmware boot's
     * image, flash units and drives are not in it; such a file restores with the machine's options).
     */
    static boolean describes(MachineConfig c) {
        return c.kernel() != null && !c.bootsFirmware() && c.ideDrives().isEmpty() && c.sataDrives().isEmpty();
    }

    static void write(SectionOutput out, MachineConfig c) {
        out.u64(c.memoryBytes()).u32(c.vcpus());
        out.string(c.kernel().toAbsolutePath().toString()).string(c.initrd() == null ? "" : c.initrd().toAbsolutePath().toString()).string(c.cmdline());
        out.u32(c.disks().size());
        for (MachineConfig.Disk d : c.disks()) out.string(d.path().toAbsolutePath().toString()).bool(d.readOnly()).u8(FORMATS.indexOf(d.format()));
        out.u8(CHIPSETS.indexOf(c.chipset()));
        out.string(c.rng() == null ? "" : c.rng().source().toAbsolutePath().toString());
        out.u32(c.nics().size());
        for (MachineConfig.Nic n : c.nics()) {
            out.string(n.ifname() == null ? "" : n.ifname()).string(n.bridge() == null ? "" : n.bridge()).string(n.mac()).bool(n.offload());
            out.string(n.stream() == null ? "" : n.stream().toAbsolutePath().toString()); // version 4: "" for a tap
        }
        out.u8(VIDEOS.indexOf(c.video()));
        out.bool(c.usbController() != null);
        out.u32(c.inputs().size());
        for (MachineConfig.InputDevice d : c.inputs()) out.u8(d.kind().ordinal()).u8(d.bus().ordinal());
        if (c.usbController() != null) out.u8(c.usbController().ports()); // version 7
        out.bool(c.balloon() != null); // version 8
        if (c.balloon() != null) out.bool(c.balloon().deflateOnOom()).u32(c.balloon().statsPeriod());
    }

    /** The saved machine with COM1 on stdout and KVM (the caller chooses both). */
    static MachineConfig read(SectionInput in) {
        in.requireVersion(VERSION);
        long memory = in.u64();
        int vcpus = in.u32();
        Path kernel = path(in, in.string(MAX_PATH), "kernel");
        String initrd = in.string(MAX_PATH);
        String cmdline = in.string(MAX_CMDLINE);
        int n = in.count(MAX_DISKS, "disk");
        List<MachineConfig.Disk> disks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = path(in, in.string(MAX_PATH), "disk");
            boolean ro = in.bool();
            int pos = in.position();
            int format = in.u8();
            if (format >= FORMATS.size()) throw in.error(pos, "unknown disk format " + format);
            disks.add(new MachineConfig.Disk(p, ro, FORMATS.get(format)));
        }
        MachineConfig.Chipset chipset = MachineConfig.Chipset.PC;
        if (in.version() >= 2) {
            int pos = in.position();
            int board = in.u8();
            if (board >= CHIPSETS.size()) throw in.error(pos, "unknown machine type " + board);
            chipset = CHIPSETS.get(board);
        }
        MachineConfig.Rng rng = null;
        if (in.version() >= 3) {
            String r = in.string(MAX_PATH);
            if (!r.isEmpty()) rng = new MachineConfig.Rng(path(in, r, "rng source"), null);
        }
        List<MachineConfig.Nic> nics = new ArrayList<>();
        if (in.version() >= 3) {
            int count = in.count(MAX_NICS, "NIC");
            for (int i = 0; i < count; i++) {
                String ifname = in.string(MAX_NAME), bridge = in.string(MAX_NAME);
                int pos = in.position();
                String mac = in.string(MAX_NAME);
                boolean offload = in.bool();
                String stream = in.version() >= 4 ? in.string(MAX_PATH) : "";
                try {
                    nics.add(stream.isEmpty() ? new MachineConfig.Nic(ifname.isEmpty() ? null : ifname, bridge.isEmpty() ? null : bridge, mac, offload)
                            : new MachineConfig.Nic(ifname.isEmpty() ? null : ifname, bridge.isEmpty() ? null : bridge, mac, offload, null, path(in, stream, "NIC socket")));
                } catch (IllegalArgumentException e) {
                    throw in.error(pos, e.getMessage());
                }
            }
        }
        MachineConfig.Video video = MachineConfig.Video.NONE;
        if (in.version() >= DISPLAY_SINCE) {
            int pos = in.position();
            int v = in.u8();
            if (v >= VIDEOS.size()) throw in.error(pos, "unknown display adapter " + v);
            video = VIDEOS.get(v);
        }
        boolean usb = false;
        MachineConfig.UsbController controller = null;
        List<MachineConfig.InputDevice> inputs = new ArrayList<>();
        if (in.version() >= INPUTS_SINCE) {
            usb = in.bool();
            int count = in.count(MAX_INPUTS, "input device");
            for (int i = 0; i < count; i++) {
                int pos = in.position();
                int kind = in.u8(), bus = in.u8();
                if (kind >= MachineConfig.InputKind.values().length) throw in.error(pos, "unknown input device kind " + kind);
                if (bus >= MachineConfig.InputBus.values().length) throw in.error(pos + 1, "unknown input bus " + bus);
                inputs.add(new MachineConfig.InputDevice(MachineConfig.InputKind.values()[kind], MachineConfig.InputBus.values()[bus], null));
            }
        }
        if (usb) {
            int ports = MachineConfig.UsbController.DEFAULT_PORTS;
            if (in.version() >= USB_PORTS_SINCE) {
                int pos = in.position();
                ports = in.u8();
                if (ports < 1 || ports > MachineConfig.UsbController.MAX_PORTS) throw in.error(pos, "bad USB port count " + ports);
            }
            controller = new MachineConfig.UsbController(null, ports);
        }
        MachineConfig.Balloon balloon = null;
        if (in.version() >= BALLOON_SINCE && in.bool()) {
            boolean deflate = in.bool();
            int pos = in.position();
            long period = in.u32() & 0xFFFF_FFFFL;
            if (period > Integer.MAX_VALUE) throw in.error(pos, "bad balloon stats period " + period);
            balloon = new MachineConfig.Balloon(null, deflate, (int) period);
        }
        in.expectEnd();
        try {
            return new MachineConfig(memory, vcpus, kernel, initrd.isEmpty() ? null : path(in, initrd, "initrd"), cmdline, disks,
                    new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).withChipset(chipset).withRng(rng).withNics(nics).withVideo(video)
                    .withUsbController(controller).withInputs(inputs).withBalloon(balloon);
        } catch (IllegalArgumentException e) {
            throw in.error(0, e.getMessage());
        }
    }

    private static Path path(SectionInput in, String s, String what) {
        if (s.isEmpty() || s.indexOf('\0') >= 0) throw in.error(in.position(), "empty or invalid " + what + " path");
        return Path.of(s);
    }
}

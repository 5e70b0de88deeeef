package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-rng's PCI place: at the address it is given (on the root bus, or behind a q35 root
 * port) before the devices without one take the free slots; without one, the first free slot
 * after the disks, as before addresses were passed.
 */
class RngPlacementTest {
    /** A modern virtio-rng function's vendor and device id (virtio device type 4). */
    private static final long VIRTIO_RNG = 0x1044_1AF4L;
    private static final long VIRTIO_BLK = 0x1042_1AF4L;

    @TempDir
    Path dir;

    private MachineConfig config(PciAddress rngAddress) throws Exception {
        Path disk = Files.write(dir.resolve("disk.raw"), new byte[1 << 20]);
        return MachineConfig.of(GuestImages.require("ticker")).withAccel(MachineConfig.Accel.EMU)
                .withDisks(List.of(new MachineConfig.Disk(disk, false)))
                .withRng(new MachineConfig.Rng(Path.of("/dev/urandom"), rngAddress));
    }

    @Test
    void anRngWithAnAddressSitsThereAndTheDiskTakesTheFirstFreeSlot() throws Exception {
        try (Machine m = Machine.create(config(PciAddress.root(1, 0)))) {
            assertEquals(VIRTIO_RNG, m.board().pci().configRead(0, 1, 0, 0, 4));
            assertEquals(VIRTIO_BLK, m.board().pci().configRead(0, 2, 0, 0, 4), "the disk without an address: the next free slot");
        }
    }

    @Test
    void anRngWithoutAnAddressFollowsTheDisks() throws Exception {
        try (Machine m = Machine.create(config(null))) {
            assertEquals(VIRTIO_BLK, m.board().pci().configRead(0, 1, 0, 0, 4));
            assertEquals(VIRTIO_RNG, m.board().pci().configRead(0, 2, 0, 0, 4));
        }
    }

    @Test
    void anRngBehindAQ35RootPort() throws Exception {
        MachineConfig c = config(new PciAddress(1, 0, 0)).withChipset(MachineConfig.Chipset.Q35)
                .withRootPorts(List.of(new MachineConfig.RootPort(1, PciAddress.root(1, 0), 1, 8)));
        try (Machine m = Machine.create(c)) {
            assertEquals(VIRTIO_RNG, m.board().pci().configRead(1, 0, 0, 0, 4), "behind root port 1 (the kernel-boot bus numbering)");
            assertTrue(m.board().pci().configRead(0, 2, 0, 0, 4) == VIRTIO_BLK, "the disk on the root bus's first free slot");
        }
    }
}

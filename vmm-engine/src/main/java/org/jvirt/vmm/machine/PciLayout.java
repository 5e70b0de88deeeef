package org.jvirt.vmm.machine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.jvirt.vmm.protocol.launch.PciAddress;

/**
 * The checks a configuration's PCI addresses must pass before a board is built: root ports
 * only on q35, each controller index and each address used once, a device's bus an existing
 * root port's index (where only device 0 exists), and nothing on the chipset's own slots
 * (00:00 the host bridge, q35's 00:1f the ICH9). Each refusal is one line naming the address.
 */
final class PciLayout {
    private PciLayout() { }

    static void check(MachineConfig.Chipset chipset, List<MachineConfig.RootPort> rootPorts, List<MachineConfig.Disk> disks) {
        if (!rootPorts.isEmpty() && chipset != MachineConfig.Chipset.Q35) {
            throw new IllegalArgumentException("a pcie-root-port needs the q35 machine (--machine q35)");
        }
        Map<Integer, MachineConfig.RootPort> byIndex = new HashMap<>();
        Map<PciAddress, String> taken = new HashMap<>();
        for (MachineConfig.RootPort r : rootPorts) {
            if (byIndex.put(r.index(), r) != null) throw new IllegalArgumentException("two PCI controllers with index " + r.index());
            claim(taken, chipset, r.address(), "pcie-root-port " + r.index());
        }
        for (int i = 0; i < disks.size(); i++) {
            PciAddress a = disks.get(i).address();
            if (a == null) continue;
            if (!a.onRootBus()) {
                if (!byIndex.containsKey(a.bus())) throw new IllegalArgumentException("disk " + i + " at " + a + ": no PCI controller with index " + a.bus());
                if (a.slot() != 0) throw new IllegalArgumentException("disk " + i + " at " + a + ": a PCIe root port has only slot 0 behind it");
            }
            claim(taken, chipset, a, "disk " + i);
        }
    }

    private static void claim(Map<PciAddress, String> taken, MachineConfig.Chipset chipset, PciAddress a, String who) {
        if (a.onRootBus() && a.slot() == 0) throw new IllegalArgumentException(who + " at " + a + ": slot 0 of the root bus is the host bridge's");
        if (a.onRootBus() && chipset == MachineConfig.Chipset.Q35 && a.slot() == Q35Chipset.LPC_SLOT) {
            throw new IllegalArgumentException(who + " at " + a + ": slot 0x1f of the q35 root bus is the ICH9's");
        }
        String other = taken.putIfAbsent(a, who);
        if (other != null) throw new IllegalArgumentException(who + " at " + a + ": the address is " + other + "'s");
    }
}

package org.jvirt.vmm.devices.pci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.devices.Snapshottable;

/**
 * A PCI function whose whole guest-visible state is its config space (chipset functions whose
 * registers live there: the PIIX3's PIRQ routes, the PIIX4's PMBA). The host bridge saves only its
 * own function, so such a function is a state section of its own; what it derives from its
 * registers it places again in {@link PciDevice#configReplaced}.
 */
public interface ConfigSpaceState extends PciDevice, Snapshottable {

    @Override
    default void saveState(DataOutput out) throws IOException {
        config().saveState(out);
    }

    @Override
    default void loadState(DataInput in) throws IOException {
        config().loadState(in);
    }
}

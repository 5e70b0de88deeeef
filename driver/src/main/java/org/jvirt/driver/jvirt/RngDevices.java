package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.UnsupportedConfig.quoted;

import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.jvirt.UnsupportedConfig.Findings;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Rng;
import org.jvirt.xml.domain.devices.RngBackend;

/**
 * {@code <rng>} devices against jvirt-vmm's one virtio-rng: model virtio (or
 * virtio-non-transitional: the device is modern-only either way) with a 'random' backend (a host
 * file, /dev/urandom when none is named, as QEMU 7.2's rng-random) at its PCI address, or the 'builtin' one (QEMU's
 * getrandom(); jvirt reads /dev/urandom, the same kernel pool). egd backends, rate limits and a
 * second rng are refused.
 */
final class RngDevices {

    /** QEMU's rng-random default file, and what jvirt reads for the builtin backend. */
    static final String DEFAULT_SOURCE = "/dev/urandom";

    private RngDevices() { }

    /** Adds to f what jvirt-vmm cannot provide of rng, the index-th of the domain's rngs. */
    static void check(Rng rng, int index, Findings f) {
        String model = rng.getModel();
        RngBackend backend = rng.getBackend();
        String backendModel = backend == null ? null : backend.getModel();
        String what = "rng" + quoted("model", model) + (backendModel == null ? "" : " (backend " + backendModel + ")");
        if (index > 0) f.refuse(what + ": a second rng");
        else if (!"virtio".equals(model) && !"virtio-non-transitional".equals(model)) f.refuse(what);
        else if (!"random".equals(backendModel) && !"builtin".equals(backendModel)) f.refuse(what);
        else if (rng.getRate() != null) f.refuse(what + " with a rate limit");
    }

    /** The launch option for the domain's virtio-rng (its host file, at the address PciPlacement gives it), or null without one (start has checked it). */
    static LaunchSpec.Rng launch(Devices devices, PciPlacement.Plan pci) {
        List<Rng> rngs = devices == null ? List.of() : devices.getRngs();
        if (rngs.isEmpty()) return null;
        RngBackend b = rngs.get(0).getBackend();
        String file = "random".equals(b.getModel()) ? b.trimmed() : null;
        return new LaunchSpec.Rng(Path.of(file == null || file.isEmpty() ? DEFAULT_SOURCE : file), pci.of(rngs.get(0)));
    }
}

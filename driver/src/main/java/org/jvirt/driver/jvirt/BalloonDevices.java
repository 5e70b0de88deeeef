package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.UnsupportedConfig.quoted;

import org.jvirt.driver.jvirt.UnsupportedConfig.Findings;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Memballoon;

/**
 * {@code <memballoon>} against jvirt-vmm's virtio-balloon (QEMU's virtio-balloon-pci): model
 * virtio, virtio-transitional or virtio-non-transitional (the device is modern-only either
 * way) at the address PciPlacement gives it, {@code deflate='on'} as QEMU's deflate-on-oom,
 * {@code <stats period='N'/>} as its guest-stats-polling-interval; model none: no balloon.
 * free-page-reporting and other models are refused.
 */
final class BalloonDevices {

    private BalloonDevices() { }

    /** Whether m is a balloon jvirt-vmm provides (a virtio model). */
    static boolean isVirtio(Memballoon m) {
        String model = m == null ? null : m.getModel();
        return "virtio".equals(model) || "virtio-transitional".equals(model) || "virtio-non-transitional".equals(model);
    }

    /** Whether the domain has a virtio balloon. */
    static boolean has(Devices devices) {
        return devices != null && isVirtio(devices.getMemballoon());
    }

    /** Adds to f what jvirt-vmm cannot provide of m. */
    static void check(Memballoon m, Findings f) {
        String model = m.getModel();
        if ("none".equals(model)) return;
        String what = "memballoon" + quoted("model", model);
        if (!isVirtio(m)) f.refuse(what);
        else if ("on".equals(m.getFreePageReporting())) f.refuse(what + " with free page reporting");
        else if (period(m) < 0) f.refuse(what + " with stats period '" + m.getStats().getPeriod() + "'");
    }

    /** The stats period in seconds (0: none), -1 when it is not a number of seconds. */
    static int period(Memballoon m) {
        if (m.getStats() == null || m.getStats().getPeriod() == null) return 0;
        try {
            int p = Integer.parseInt(m.getStats().getPeriod().trim());
            return p < 0 ? -1 : p;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The launch option for the domain's balloon, or null without one (start has checked it). */
    static LaunchSpec.Balloon launch(Devices devices, PciPlacement.Plan pci) {
        if (!has(devices)) return null;
        Memballoon m = devices.getMemballoon();
        int period = period(m);
        return new LaunchSpec.Balloon(pci.of(m), "on".equals(m.getAutodeflate()), period > 0 ? period : null);
    }
}

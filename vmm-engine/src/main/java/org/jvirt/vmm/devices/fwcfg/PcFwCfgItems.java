package org.jvirt.vmm.devices.fwcfg;

import org.jvirt.vmm.memory.RamRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fw_cfg items QEMU's pc machine gives SeaBIOS that jvirt has (QEMU's hw/i386/fw_cfg.c and
 * hw/nvram/fw_cfg.c): signature "QEMU", ID (traditional interface only), RAM size, vCPU count
 * and maximum, "no graphics" (SeaBIOS then puts its console on COM1, its etc/sercon-port, as
 * under QEMU's -nographic or libvirt's &lt;bios useserial='yes'/&gt; without a display) and the RAM
 * map as the file "etc/e820" (u64 address, u64 length, u32 type 1 = RAM per entry, little-endian),
 * and "etc/boot-fail-wait" = -1 (QEMU's default -boot reboot-timeout: after "No bootable device."
 * SeaBIOS waits instead of rebooting every 60 s).
 */
public final class PcFwCfgItems {
    private PcFwCfgItems() { }

    static final int E820_RAM = 1, E820_ENTRY = 20;
    /** etc/boot-fail-wait: never retry the boot. */
    static final long NO_REBOOT = 0xffffffffL;

    public static FwCfgItems of(long ramBytes, List<RamRange> ram, int vcpus, boolean noGraphics) {
        return of(ramBytes, ram, vcpus, noGraphics, false, null, null);
    }

    /**
     * With QEMU's -boot menu, splash-time and reboot-timeout: the boot menu switch (legacy key
     * 0x0e, SeaBIOS's etc/show-boot-menu), "etc/boot-menu-wait" (u16 ms) when a time is given,
     * and "etc/boot-fail-wait" (u32 ms, -1 = never reboot).
     */
    public static FwCfgItems of(long ramBytes, List<RamRange> ram, int vcpus, boolean noGraphics, boolean menu,
                                Integer splashTime, Integer rebootTimeout) {
        FwCfgItems items = base(ramBytes, ram, vcpus, noGraphics).addU16(FwCfgItems.BOOT_MENU, menu ? 1 : 0)
                .addFile("etc/boot-fail-wait", FwCfgItems.le(4, rebootTimeout == null ? NO_REBOOT : rebootTimeout & 0xffffffffL));
        if (splashTime != null) items.addFile("etc/boot-menu-wait", FwCfgItems.le(2, splashTime));
        return items;
    }

    private static FwCfgItems base(long ramBytes, List<RamRange> ram, int vcpus, boolean noGraphics) {
        return new FwCfgItems()
                .add(FwCfgItems.SIGNATURE, "QEMU".getBytes(StandardCharsets.US_ASCII))
                .addU32(FwCfgItems.ID, FwCfgItems.ID_TRADITIONAL)
                .addU64(FwCfgItems.RAM_SIZE, ramBytes)
                .addU16(FwCfgItems.NOGRAPHIC, noGraphics ? 1 : 0)
                .addU16(FwCfgItems.NB_CPUS, vcpus)
                .addU16(FwCfgItems.MAX_CPUS, vcpus)
                .addFile("etc/e820", e820(ram));
    }

    static byte[] e820(List<RamRange> ram) {
        ByteBuffer b = ByteBuffer.allocate(E820_ENTRY * ram.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (RamRange r : ram) b.putLong(r.start()).putLong(r.size()).putInt(E820_RAM);
        return b.array();
    }
}

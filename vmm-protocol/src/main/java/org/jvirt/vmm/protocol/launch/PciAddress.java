package org.jvirt.vmm.protocol.launch;

import java.util.Locale;

/**
 * Where a PCI function sits, as libvirt's {@code <address type='pci' bus= slot= function=/>}
 * names it: bus is the index of the controller whose bus it is (0: the root bus, pci.0 or
 * pcie.0; N: the bus behind the controller with index N, e.g. a pcie-root-port), not the bus
 * number firmware assigns. Written {@code BUS:SLOT.FUNCTION} in hex ({@code 01:00.0}), or
 * {@code SLOT.FUNCTION} on the root bus; this is the one place the form is parsed and spelled,
 * for every option that places a device ({@code --disk ...,addr=}, {@code --controller}).
 * PCI domains other than 0 do not exist here.
 */
public record PciAddress(int bus, int slot, int function) {
    public static final int SLOTS = 32, FUNCTIONS = 8, BUSES = 256;

    public PciAddress {
        if (bus < 0 || bus >= BUSES) throw new IllegalArgumentException("PCI bus " + bus + " out of range (0..0xff)");
        if (slot < 0 || slot >= SLOTS) throw new IllegalArgumentException("PCI slot " + slot + " out of range (0..0x1f)");
        if (function < 0 || function >= FUNCTIONS) throw new IllegalArgumentException("PCI function " + function + " out of range (0..7)");
    }

    /** On the root bus. */
    public static PciAddress root(int slot, int function) {
        return new PciAddress(0, slot, function);
    }

    public boolean onRootBus() { return bus == 0; }

    /** "BB:SS.F" (hex), the form {@link #parse} reads. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%02x:%02x.%x", bus, slot, function);
    }

    /** "BB:SS.F" or "SS.F" (hex, bus 0). */
    public static PciAddress parse(String s) throws LaunchSpec.UsageException {
        String bad = "bad PCI address '" + s + "' (BUS:SLOT.FUNCTION or SLOT.FUNCTION in hex, e.g. 01:00.0)";
        int colon = s.indexOf(':'), dot = s.lastIndexOf('.');
        if (dot < 0 || colon > dot || s.indexOf(':', colon + 1) >= 0) throw new LaunchSpec.UsageException(bad);
        try {
            int bus = colon < 0 ? 0 : hex(s.substring(0, colon));
            return new PciAddress(bus, hex(s.substring(colon + 1, dot)), hex(s.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new LaunchSpec.UsageException(bad);
        } catch (IllegalArgumentException e) {
            throw new LaunchSpec.UsageException(bad.substring(0, bad.indexOf(" (")) + ": " + e.getMessage());
        }
    }

    private static int hex(String digits) {
        if (digits.isEmpty() || digits.length() > 4 || digits.startsWith("+") || digits.startsWith("-")) throw new NumberFormatException(digits);
        return Integer.parseInt(digits, 16);
    }
}

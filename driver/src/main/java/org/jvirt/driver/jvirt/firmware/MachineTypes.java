package org.jvirt.driver.jvirt.firmware;

/**
 * The machine types jvirt-vmm builds under the names QEMU 7.2 gives them: "pc" is
 * pc-i440fx-7.2, "q35" is pc-q35-7.2, as QEMU's machine aliases resolve (libvirt's capabilities
 * list them as {@code <machine canonical='pc-i440fx-7.2'>pc</machine>}); firmware descriptors
 * name the canonical types.
 */
public final class MachineTypes {

    public static final String PC = "pc-i440fx-7.2", Q35 = "pc-q35-7.2";

    private MachineTypes() { }

    /** The canonical type of machine (null: QEMU's default machine, the pc). */
    public static String canonical(String machine) {
        if (machine == null || machine.equals("pc")) return PC;
        if (machine.equals("q35")) return Q35;
        return machine;
    }

    /** Whether machine (alias or versioned) is a q35. */
    public static boolean isQ35(String machine) {
        String m = canonical(machine);
        return m.startsWith("pc-q35-");
    }
}

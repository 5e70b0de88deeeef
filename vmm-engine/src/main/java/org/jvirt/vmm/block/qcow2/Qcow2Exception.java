package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A qcow2 image jvirt cannot use: a malformed or hostile header or table, or a feature jvirt does
 * not implement. The message names the file and what is wrong, in one line a user can act on.
 */
public final class Qcow2Exception extends IOException {

    private final boolean corruption;

    public Qcow2Exception(Path image, String what) {
        this(image, what, false);
    }

    private Qcow2Exception(Path image, String what, boolean corruption) {
        super("qcow2 image " + image + ": " + what);
        this.corruption = corruption;
    }

    /** For a corrupt table met while serving I/O (the image was valid when opened). */
    static Qcow2Exception corrupt(Path image, String what) {
        return new Qcow2Exception(image, "corrupt image: " + what, true);
    }

    /** True when the image's metadata was found inconsistent (not a refused request or feature). */
    public boolean corruption() {
        return corruption;
    }
}

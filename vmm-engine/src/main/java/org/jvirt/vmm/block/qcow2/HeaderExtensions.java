package org.jvirt.vmm.block.qcow2;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The header extensions after the fixed header (qcow2.txt, "Header extensions"): type, length,
 * data padded to 8 bytes, up to an end marker. Each is bounds-checked; jvirt reads the backing
 * file format and skips the others (feature names, bitmaps, unknown types), which it may.
 */
final class HeaderExtensions {
    private HeaderExtensions() { }

    // the others (feature names 0x6803f857, bitmaps 0x23852875, encryption 0x0537be77, external data
    // file 0x44415441) are skipped: jvirt refuses the features that would need them
    static final int END = 0, BACKING_FORMAT = 0xe2792aca;

    /** The backing_fmt string, or null when there is none; refuses malformed extensions. */
    static String backingFormat(Path p, byte[] cluster, int start, int end) throws Qcow2Exception {
        String format = null;
        int at = start;
        while (at + 8 <= end) {
            int type = (int) BigEndian.u32(cluster, at);
            long len = BigEndian.u32(cluster, at + 4);
            if (type == END) break;
            if (len > end - at - 8) throw new Qcow2Exception(p, "header extension 0x" + Integer.toHexString(type) + " at offset " + at + " runs past the header area");
            if (type == BACKING_FORMAT) {
                if (format != null) throw new Qcow2Exception(p, "two backing file format extensions");
                if (len == 0 || len > 16) throw new Qcow2Exception(p, "backing file format name of " + len + " bytes");
                format = new String(cluster, at + 8, (int) len, StandardCharsets.US_ASCII);
            }
            at += 8 + (int) ((len + 7) & ~7L);
        }
        return format;
    }
}

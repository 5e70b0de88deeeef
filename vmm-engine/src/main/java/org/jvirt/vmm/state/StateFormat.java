package org.jvirt.vmm.state;

import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The on-disk layout (all integers little-endian). Kept in one place so the writer and the
 * reader cannot drift apart.
 *
 * <pre>
 * file header   magic[8] "\x89JVSTAT\n", format version u32, flags u32 (0), reserved u32 (0), CRC32C u32 of the 20 bytes before
 * section       marker "SECT", id length u8, id (ASCII), version u32, flags u32, payload offset u64 (absolute),
 *               payload length u64, CRC32C u32 of this header;
 *               zero padding up to the payload offset (only PAGE_ALIGNED sections have any);
 *               payload; CRC32C u32 of the payload unless UNCHECKED
 * end marker    marker "END.", section count u32, file length u64, CRC32C u32 of the 16 bytes before
 * </pre>
 */
public final class StateFormat {
    private StateFormat() { }

    /** High bit first (no text file starts so), then a name, then a newline that text-mode copies mangle. */
    static final byte[] MAGIC = {(byte) 0x89, 'J', 'V', 'S', 'T', 'A', 'T', '\n'};
    /** The format version this build writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;
    static final int HEADER_SIZE = 24;

    static final int SECTION_MARKER = 0x54434553;   // "SECT"
    static final int END_MARKER = 0x2e444e45;       // "END."
    static final int END_SIZE = 20;

    /** A reader that does not know this section must refuse the file. */
    public static final int FLAG_REQUIRED = 1;
    /** The payload has no checksum (guest RAM: restoring it must not cost a pass over all of it). */
    public static final int FLAG_UNCHECKED = 2;
    /** The payload starts at a file offset that is a multiple of {@link #PAGE_SIZE} (so it can be mmap'ed). */
    public static final int FLAG_PAGE_ALIGNED = 4;
    static final int KNOWN_FLAGS = FLAG_REQUIRED | FLAG_UNCHECKED | FLAG_PAGE_ALIGNED;

    public static final int PAGE_SIZE = 4096;
    public static final int MAX_ID_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9._-]*");

    /** Section ids are short stable names: lower-case ASCII letters, digits, '.', '_', '-'. */
    static boolean isValidId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH && ID.matcher(id).matches();
    }

    static long payloadOffset(long headerEnd, int flags) {
        if ((flags & FLAG_PAGE_ALIGNED) == 0) return headerEnd;
        return (headerEnd + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}

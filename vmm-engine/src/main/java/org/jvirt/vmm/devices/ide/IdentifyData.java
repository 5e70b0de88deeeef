package org.jvirt.vmm.devices.ide;

import java.nio.charset.StandardCharsets;

/** The 256 little-endian words of IDENTIFY (PACKET) DEVICE data, built word by word. */
final class IdentifyData {
    final byte[] bytes = new byte[512];

    IdentifyData word(int index, int value) {
        bytes[2 * index] = (byte) value;
        bytes[2 * index + 1] = (byte) (value >>> 8);
        return this;
    }

    int wordAt(int index) {
        return (bytes[2 * index] & 0xFF) | (bytes[2 * index + 1] & 0xFF) << 8;
    }

    /** Two words, low word first (ATA's 32-bit fields). */
    IdentifyData dword(int index, long value) {
        return word(index, (int) value & 0xFFFF).word(index + 1, (int) (value >>> 16) & 0xFFFF);
    }

    /** Four words, low word first (the 48-bit sector count). */
    IdentifyData qword(int index, long value) {
        return dword(index, value).dword(index + 2, value >>> 32);
    }

    /**
     * An ATA string of the given words: ASCII padded with spaces, the first character of each
     * pair in the high byte of its word (so it reads right when the words are byte-swapped).
     */
    IdentifyData string(int index, int words, String s) {
        byte[] ascii = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < words * 2; i++) {
            byte c = i < ascii.length && ascii[i] >= 0x20 && ascii[i] < 0x7F ? ascii[i] : (byte) ' ';
            bytes[2 * index + (i ^ 1)] = c;
        }
        return this;
    }

    /** Word 255: signature 0xA5 and the checksum that makes all 512 bytes sum to 0 (ATA-7 6.17.55). */
    byte[] withIntegrityWord() {
        bytes[510] = (byte) 0xA5;
        int sum = 0;
        for (int i = 0; i < 511; i++) sum += bytes[i];
        bytes[511] = (byte) -sum;
        return bytes;
    }
}

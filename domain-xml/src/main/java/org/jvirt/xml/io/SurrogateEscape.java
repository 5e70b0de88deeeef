package org.jvirt.xml.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that keeps bytes which are not UTF-8 (Python's "surrogateescape"): each such byte b
 * becomes the lone surrogate U+DC00+b, and goes back to b when encoded. So a file read as text
 * loses nothing: the XML reader can refuse it with libxml2's "Input is not proper UTF-8" and
 * the byte it names, and virsh's error line can show the raw byte as libxml2 does.
 */
public final class SurrogateEscape {

    private SurrogateEscape() { }

    public static String decode(byte[] data, int offset, int length) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data, offset, length);
        CharBuffer out = CharBuffer.allocate(length + 1);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isUnderflow()) break;
            if (r.isOverflow()) throw new IllegalStateException("UTF-8 decoded longer than its bytes");
            for (int i = 0; i < r.length(); i++) out.put((char) (0xDC00 | (in.get() & 0xff)));
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    /** Whether c stands for a byte that was not UTF-8. */
    public static boolean isEscapedByte(char c) {
        return c >= 0xDC80 && c <= 0xDCFF;
    }

    public static byte[] encode(CharSequence s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || isEscapedByte(s.charAt(i)) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                byte[] run = s.subSequence(start, i).toString().getBytes(StandardCharsets.UTF_8);
                out.write(run, 0, run.length);
                if (i < s.length()) out.write(s.charAt(i) & 0xff);
                start = i + 1;
            }
        }
        return out.toByteArray();
    }
}

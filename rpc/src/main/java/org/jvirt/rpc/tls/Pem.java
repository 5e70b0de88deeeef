package org.jvirt.rpc.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM blocks in a text, in order. Text around the blocks is skipped (certtool writes a
 * human-readable dump before the block); a block whose base64 does not decode is dropped, as
 * GnuTLS finds no such object in it.
 */
final class Pem {
    /** One "-----BEGIN LABEL-----" ... "-----END LABEL-----" block, decoded. */
    record Block(String label, byte[] der) {}

    private Pem() {
    }

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", from);
            if (begin < 0) return out;
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) return out;
            String label = text.substring(begin + 11, labelEnd);
            String endMarker = "-----END " + label + "-----";
            int end = text.indexOf(endMarker, labelEnd + 5);
            if (end < 0) return out;
            String body = text.substring(labelEnd + 5, end);
            from = end + endMarker.length();
            if (body.contains(":")) continue; // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED"): old-style encrypted keys
            try {
                out.add(new Block(label, Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                // not base64: nothing usable in this block
            }
        }
    }
}

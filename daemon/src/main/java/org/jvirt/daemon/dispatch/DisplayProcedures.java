package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.DOMAIN_SCREENSHOT;
import static org.jvirt.rpc.RemoteProcedure.DOMAIN_SEND_KEY;

import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Stream;

/**
 * virDomainScreenshot (its reply carries the MIME type and opens a download stream of the
 * image, as remoteDispatchDomainScreenshot's) and virDomainSendKey.
 */
final class DisplayProcedures {

    /** REMOTE_DOMAIN_SEND_KEY_MAX. */
    private static final int SEND_KEY_MAX = 16;

    private DisplayProcedures() { }

    static void register(ProcedureTable t) {
        // remote_domain_screenshot_args: dom, screen, flags; ret: mime (remote_string)
        t.add(DOMAIN_SCREENSHOT, "virDomainScreenshot", Access.WRITE, c -> {
            Domain d = c.domain();
            int screen = c.readInt();
            int flags = c.readInt();
            Stream st = c.conn().streamNew(0);
            String mime = d.screenshot(st, screen, flags);
            c.ret.writeOptionalString(mime);
            var from = st.getInputStream();
            StreamBridge.open(c, from, java.io.OutputStream.nullOutputStream(), "screenshot", StreamBridge.closingEnds(from),
                    "jvirtd-screenshot " + d.getName());
        });
        // remote_domain_send_key_args: dom, codeset, holdtime, keycodes<REMOTE_DOMAIN_SEND_KEY_MAX>, flags
        t.add(DOMAIN_SEND_KEY, "virDomainSendKey", Access.WRITE, c -> {
            Domain d = c.domain();
            int codeset = c.readInt();
            int holdtime = c.readInt();
            int n = c.args.readCount(SEND_KEY_MAX, 4, "keycodes");
            int[] keys = new int[n];
            for (int i = 0; i < n; i++) keys[i] = c.readInt();
            d.sendKey(codeset, holdtime, keys, c.readInt());
        });
    }
}

package org.jvirt.driver.remote;

import static org.jvirt.driver.remote.WireTypes.args;
import static org.jvirt.rpc.RemoteProcedure.DOMAIN_SCREENSHOT;
import static org.jvirt.rpc.RemoteProcedure.DOMAIN_SEND_KEY;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.Screenshot;
import org.jvirt.rpc.XdrWriter;

/**
 * virDomainScreenshot and virDomainSendKey over the wire (remote_protocol.x): the screenshot's
 * reply carries the MIME type and opens a download stream of the image; send-key carries up
 * to REMOTE_DOMAIN_SEND_KEY_MAX (16) keycodes.
 */
final class RemoteDisplay {

    static final int SEND_KEY_MAX = 16;

    private final RpcClient rpc;

    RemoteDisplay(RpcClient rpc) {
        this.rpc = rpc;
    }

    /** remote_domain_screenshot_args: dom, screen, flags; ret: mime (remote_string, may be null). */
    Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException {
        RemoteStream s = new RemoteStream(rpc, DOMAIN_SCREENSHOT);
        RpcClient.StreamCall<String> call = rpc.callWithStream(DOMAIN_SCREENSHOT, args(d).writeInt(screen).writeInt(flags), s,
                r -> r.readOptionalString("mime"));
        s.opened(call.serial());
        return new Screenshot(call.value(), RemoteStorage.finishingInput(s));
    }

    /** remote_domain_send_key_args: dom, codeset, holdtime, keycodes<16>, flags. */
    void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        XdrWriter w = args(d).writeInt(codeset).writeInt(holdtime).writeInt(keycodes.length);
        for (int k : keycodes) w.writeInt(k);
        rpc.call(DOMAIN_SEND_KEY, w.writeInt(flags), ReplyDecoder.NONE);
    }
}

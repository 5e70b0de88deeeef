package org.jvirt.daemon.dispatch;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.XdrException;

/** One REMOTE procedure the daemon serves: its number, the public API it stands for, its access. */
record Procedure(int number, String api, Access access, Handler handler) {

    @FunctionalInterface
    interface Handler {
        /** Reads the arguments from the call, writes the return value into it. */
        void run(Call c) throws LibvirtException, XdrException;
    }
}

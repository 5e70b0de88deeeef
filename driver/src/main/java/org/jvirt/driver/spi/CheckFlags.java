package org.jvirt.driver.spi;

import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/** libvirt's virCheckFlags: flags a driver function does not know are refused, naming the function. */
public final class CheckFlags {

    private CheckFlags() { }

    /** Throws when flags has bits outside supported; the message is virCheckFlags's alone, without a code prefix. */
    public static void check(long flags, long supported, String function) throws LibvirtException {
        long unknown = flags & ~supported;
        if (unknown != 0) {
            throw new LibvirtException(new Error(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE,
                    Error.ErrorLevel.VIR_ERR_ERROR, "unsupported flags (0x" + Long.toHexString(unknown) + ") in function " + function));
        }
    }
}

package org.jvirt.driver.test;

import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorLevel;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/** libvirt's virCheckFlags: a call given a flag its driver function does not know fails at once. */
final class TestFlags {

    private TestFlags() { }

    static void check(int flags, int allowed, String function) throws LibvirtException {
        int unknown = flags & ~allowed;
        if (unknown != 0) {
            // virCheckFlags words it without the "invalid argument" prefix
            throw new LibvirtException(new Error(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    ErrorLevel.VIR_ERR_ERROR, String.format("unsupported flags (0x%x) in function %s", unknown, function)));
        }
    }
}

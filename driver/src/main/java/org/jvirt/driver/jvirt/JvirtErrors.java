package org.jvirt.driver.jvirt;

import java.io.IOException;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/** The errors the jvirt driver raises, worded and classified as libvirt's qemu driver does. */
final class JvirtErrors {

    private JvirtErrors() {}

    static LibvirtException io(IOException e) {
        return new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU, e.toString());
    }

    static LibvirtException noDomain(String info) {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_QEMU, info);
    }

    static LibvirtException invalid(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU, what);
    }

    static LibvirtException internal(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, what);
    }
}

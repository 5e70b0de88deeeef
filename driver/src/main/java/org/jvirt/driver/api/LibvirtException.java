package org.jvirt.driver.api;

/** A failed call, carrying libvirt's error (as libvirt-java's LibvirtException). */
public class LibvirtException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Error error;

    public LibvirtException(Error error) {
        super(error.getMessage());
        this.error = error;
    }

    /** An error of the given code whose message libvirt composes from info (may be null). */
    public LibvirtException(Error.ErrorNumber code, Error.ErrorDomain domain, String info) {
        this(new Error(code, domain, Error.ErrorLevel.VIR_ERR_ERROR, code.message(info)));
    }

    public Error getError() {
        return error;
    }

    public Error.ErrorNumber code() {
        return error.getCode();
    }
}

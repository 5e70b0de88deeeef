package org.jvirt.driver.api;

/**
 * The public API's VIR_EXCLUSIVE_FLAGS checks, made before any driver sees a call: both flags
 * of a pair given is an invalid argument, worded without the error code's prefix.
 */
final class ExclusiveFlags {
    private ExclusiveFlags() { }

    /** Flags.Save RUNNING and PAUSED (save, managed save, restore, save image define). */
    static void runningOrPaused(int flags) throws LibvirtException {
        check(flags, Flags.Save.RUNNING, "VIR_DOMAIN_SAVE_RUNNING", Flags.Save.PAUSED, "VIR_DOMAIN_SAVE_PAUSED");
    }

    static void check(int flags, int a, String aName, int b, String bName) throws LibvirtException {
        if ((flags & a) != 0 && (flags & b) != 0) {
            throw new LibvirtException(new Error(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    Error.ErrorLevel.VIR_ERR_ERROR, "Flags '" + aName + "' and '" + bName + "' are mutually exclusive"));
        }
    }
}

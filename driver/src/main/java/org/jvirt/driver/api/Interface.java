package org.jvirt.driver.api;

import org.jvirt.driver.spi.InterfaceDriver;
import org.jvirt.driver.spi.InterfaceRef;

/** A host interface handle (virInterface), shaped after libvirt-java's {@code org.libvirt.Interface}. */
public class Interface {

    private final Connect conn;
    private final InterfaceRef ref;

    Interface(Connect conn, InterfaceRef ref) {
        this.conn = conn;
        this.ref = ref;
    }

    private InterfaceDriver d() throws LibvirtException { return conn.driver().interfaces(); }

    public String getName() { return ref.name(); }

    public String getMACString() { return ref.mac(); }

    public String getXMLDescription(int flags) throws LibvirtException { return d().getXMLDesc(ref, flags); }

    public int isActive() throws LibvirtException { return d().isActive(ref) ? 1 : 0; }
}

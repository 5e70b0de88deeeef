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

    /** Brings the interface up (virInterfaceCreate). */
    public int create() throws LibvirtException {
        conn.checkWritable("virInterfaceCreate");
        d().create(ref, 0);
        return 0;
    }

    public int destroy() throws LibvirtException {
        conn.checkWritable("virInterfaceDestroy");
        d().destroy(ref, 0);
        return 0;
    }

    public int undefine() throws LibvirtException {
        conn.checkWritable("virInterfaceUndefine");
        d().undefine(ref);
        return 0;
    }
}

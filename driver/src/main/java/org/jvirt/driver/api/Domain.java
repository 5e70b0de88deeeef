package org.jvirt.driver.api;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;

/** A domain handle (virDomain), shaped after libvirt-java's {@code org.libvirt.Domain}. */
public class Domain {

    private final Connect conn;
    private DomainRef ref;

    Domain(Connect conn, DomainRef ref) {
        this.conn = conn;
        this.ref = ref;
    }

    Connect conn() { return conn; }

    private DriverConnection d() throws LibvirtException { return conn.driver(); }

    /** The handle the driver uses (name, uuid, id at lookup). */
    public DomainRef ref() { return ref; }

    public Connect getConnect() { return conn; }

    public String getName() { return ref.name(); }

    public String getUUIDString() { return ref.uuid(); }

    /** The domain's id, -1 when inactive (as virDomainGetID's (unsigned)-1). */
    public int getID() throws LibvirtException { return d().getID(ref); }

    public String getOSType() throws LibvirtException { return d().getOSType(ref); }

    public DomainInfo getInfo() throws LibvirtException { return d().getInfo(ref); }

    /** The state and its reason (virDomainGetState). */
    public DomainStateReason getState() throws LibvirtException { return d().getState(ref); }

    public String getXMLDesc(int flags) throws LibvirtException {
        // the security info (graphics passwords) is not for read-only connections
        if (conn.isReadOnly() && (flags & Flags.DomainXml.SECURE) != 0) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_OPERATION_DENIED, Error.ErrorDomain.VIR_FROM_NONE,
                    "virDomainGetXMLDesc with secure flag");
        }
        return d().getXMLDesc(ref, flags);
    }

    /**
     * Opens the domain's console (virDomainOpenConsole; devName null: the first console or
     * serial). libvirt-java hands a Stream to fill; here the driver returns the two directions.
     */
    public org.jvirt.driver.spi.ConsoleStream openConsole(String devName) throws LibvirtException {
        return openConsole(devName, 0);
    }

    /** flags: virDomainConsoleFlags (FORCE 1, SAFE 2). */
    public org.jvirt.driver.spi.ConsoleStream openConsole(String devName, int flags) throws LibvirtException {
        conn.checkWritable("virDomainOpenConsole");
        return d().openConsole(ref, devName, flags);
    }

    public boolean getAutostart() throws LibvirtException { return d().getAutostart(ref); }

    public void setAutostart(boolean autostart) throws LibvirtException {
        conn.checkWritable("virDomainSetAutostart");
        d().setAutostart(ref, autostart);
    }

    /** 1 when active, 0 otherwise (libvirt-java returns int). */
    public int isActive() throws LibvirtException { return d().isActive(ref) ? 1 : 0; }

    public int isPersistent() throws LibvirtException { return d().isPersistent(ref) ? 1 : 0; }

    public int hasManagedSaveImage() throws LibvirtException { return hasManagedSaveImage(0); }

    public int hasManagedSaveImage(int flags) throws LibvirtException { return d().hasManagedSaveImage(ref) ? 1 : 0; }

    /** Saves the running domain's state so that the next start resumes it, and stops it (virDomainManagedSave). */
    public int managedSave() throws LibvirtException { return managedSave(0); }

    /** As {@link #managedSave()}, with Flags.Save (BYPASS_CACHE, RUNNING, PAUSED). */
    public int managedSave(int flags) throws LibvirtException {
        conn.checkWritable("virDomainManagedSave");
        ExclusiveFlags.runningOrPaused(flags);
        d().managedSave(ref, flags);
        refresh();
        return 0;
    }

    /** Discards the managed save image (virDomainManagedSaveRemove). */
    public int managedSaveRemove() throws LibvirtException {
        conn.checkWritable("virDomainManagedSaveRemove");
        d().managedSaveRemove(ref, 0);
        return 0;
    }

    /** The domain XML stored with the managed save image. */
    public String managedSaveGetXMLDesc(int flags) throws LibvirtException {
        return d().managedSaveGetXMLDesc(ref, flags);
    }

    /** Replaces the domain XML stored with the managed save image (Flags.Save RUNNING/PAUSED). */
    public int managedSaveDefineXML(String xml, int flags) throws LibvirtException {
        conn.checkWritable("virDomainManagedSaveDefineXML");
        d().managedSaveDefineXML(ref, xml, flags);
        return 0;
    }

    /** Renames the inactive domain; this handle takes the new name (virDomainRename). */
    public int rename(String name) throws LibvirtException {
        conn.checkWritable("virDomainRename");
        d().rename(ref, name, 0);
        ref = new DomainRef(name, ref.uuid(), ref.id());
        return 0;
    }

    /** Resets the running domain without a guest shutdown (virDomainReset). */
    /**
     * virDomainScreenshot: fills stream with an image of the screen (0 for the first head) and
     * returns its MIME type (QEMU's driver: image/x-portable-pixmap).
     */
    public String screenshot(Stream stream, int screen) throws LibvirtException {
        return screenshot(stream, screen, 0);
    }

    public String screenshot(Stream stream, int screen, int flags) throws LibvirtException {
        conn.checkWritable("virDomainScreenshot");
        if (stream.conn() != conn) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "stream must match connection of domain '" + getName() + "'");
        }
        org.jvirt.driver.spi.Screenshot shot = d().screenshot(ref, screen, flags);
        stream.attach(shot.data());
        return shot.mimeType();
    }

    /**
     * virDomainSendKey: presses the keys (codeset: a number of org.jvirt.driver.keycode.Keycodes,
     * linux 0 ... qnum 9), holds them holdtime ms (0: the hypervisor's default), releases them.
     */
    public void sendKey(int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSendKey");
        if (keycodes == null) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "keycodes in virDomainSendKey must not be NULL");
        }
        if (keycodes.length == 0) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "nkeycodes in virDomainSendKey must be greater than zero");
        }
        if (keycodes.length > org.jvirt.driver.keycode.Keycodes.MAX_KEYS) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "nkeycodes must be <= " + org.jvirt.driver.keycode.Keycodes.MAX_KEYS);
        }
        d().sendKey(ref, codeset, holdtime, keycodes.clone(), flags);
    }

    public int reset() throws LibvirtException {
        conn.checkWritable("virDomainReset");
        d().reset(ref, 0);
        return 0;
    }

    public int create() throws LibvirtException {
        conn.checkWritable("virDomainCreate");
        return start(0);
    }

    /** Starts the defined domain (Flags.Create: START_PAUSED...). */
    public int create(int flags) throws LibvirtException {
        conn.checkWritable("virDomainCreateWithFlags");
        return start(flags);
    }

    private int start(int flags) throws LibvirtException {
        d().create(ref, flags);
        refresh();
        return 0;
    }

    public void shutdown() throws LibvirtException {
        conn.checkWritable("virDomainShutdown");
        d().shutdown(ref, 0);
    }

    /** virDomainShutdownFlags: flags choose the methods ({@link Flags.ShutdownMode}). */
    public void shutdownFlags(int flags) throws LibvirtException {
        conn.checkWritable("virDomainShutdownFlags");
        d().shutdown(ref, flags);
    }

    public void reboot(int flags) throws LibvirtException {
        conn.checkWritable("virDomainReboot");
        d().reboot(ref, flags);
    }

    public void destroy() throws LibvirtException {
        conn.checkWritable("virDomainDestroy");
        d().destroy(ref, 0);
        refresh();
    }

    public void suspend() throws LibvirtException {
        conn.checkWritable("virDomainSuspend");
        d().suspend(ref);
    }

    public void resume() throws LibvirtException {
        conn.checkWritable("virDomainResume");
        d().resume(ref);
    }

    public void undefine() throws LibvirtException {
        conn.checkWritable("virDomainUndefine");
        d().undefine(ref, 0);
    }

    public void undefine(int flags) throws LibvirtException {
        conn.checkWritable("virDomainUndefineFlags");
        d().undefine(ref, flags);
    }

    /** Maximum memory in KiB. */
    public long getMaxMemory() throws LibvirtException { return getInfo().maxMem; }

    /** Sets the current memory (KiB) of the running domain (virDomainSetMemory). */
    public void setMemory(long kib) throws LibvirtException {
        conn.checkWritable("virDomainSetMemory");
        nonZeroMemory(kib, "virDomainSetMemory");
        d().setMemoryFlags(ref, kib, Flags.Affect.LIVE);
    }

    public void setMaxMemory(long kib) throws LibvirtException {
        conn.checkWritable("virDomainSetMaxMemory");
        nonZeroMemory(kib, "virDomainSetMaxMemory");
        d().setMemoryFlags(ref, kib, Flags.Affect.MAXIMUM);
    }

    public void setMemoryFlags(long kib, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSetMemoryFlags");
        nonZeroMemory(kib, "virDomainSetMemoryFlags");
        d().setMemoryFlags(ref, kib, flags);
    }

    /** Sets how often the balloon asks the guest for memory statistics, in seconds (0: never) (virDomainSetMemoryStatsPeriod). */
    public void setMemoryStatsPeriod(int period, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSetMemoryStatsPeriod");
        d().setMemoryStatsPeriod(ref, period, flags);
    }

    /** libvirt's virCheckNonZeroArgGoto(memory) in the public API, before any driver. */
    private static void nonZeroMemory(long kib, String api) throws LibvirtException {
        if (kib == 0)
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_NONE,
                    "memory in " + api + " must not be zero");
    }

    public void setVcpus(int count) throws LibvirtException {
        conn.checkWritable("virDomainSetVcpus");
        setVcpusUnchecked(count, Flags.Affect.LIVE);
    }

    public void setVcpusFlags(int count, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSetVcpusFlags");
        setVcpusUnchecked(count, flags);
    }

    private void setVcpusUnchecked(int count, int flags) throws LibvirtException {
        d().setVcpusFlags(ref, count, flags);
    }

    public int getVcpusFlags(int flags) throws LibvirtException { return d().getVcpusFlags(ref, flags); }

    public int getMaxVcpus() throws LibvirtException { return getVcpusFlags(Flags.Affect.LIVE | Flags.Affect.MAXIMUM); }

    public VcpuInfo[] getVcpusInfo() throws LibvirtException { return d().getVcpus(ref).toArray(new VcpuInfo[0]); }

    public MemoryStatistic[] memoryStats(int number) throws LibvirtException {
        List<MemoryStatistic> all = d().memoryStats(ref);
        return all.subList(0, Math.min(number, all.size())).toArray(new MemoryStatistic[0]);
    }

    public SecurityLabel getSecurityLabel() throws LibvirtException { return d().getSecurityLabel(ref); }

    /**
     * Title, description or the application element of namespace uri (Flags.Metadata); fails
     * with VIR_ERR_NO_DOMAIN_METADATA when there is none (virDomainGetMetadata).
     */
    public String getMetadata(int type, String uri, int flags) throws LibvirtException {
        return d().getMetadata(ref, type, uri, flags);
    }

    /**
     * virDomainUpdateDeviceFlags: changes a device of the live domain and/or its persistent
     * definition (Flags.Affect; Flags.DeviceModify.FORCE), as virsh change-media does for a
     * cdrom's medium.
     */
    public void updateDeviceFlags(String xml, int flags) throws LibvirtException {
        conn.checkWritable("virDomainUpdateDeviceFlags");
        d().updateDeviceFlags(ref, xml, flags);
    }

    /** virDomainSetMetadata: metadata null removes; for ELEMENT, key is the namespace prefix. */
    public void setMetadata(int type, String metadata, String key, String uri, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSetMetadata");
        if (type == Flags.Metadata.TITLE && metadata != null && metadata.contains("\n")) {
            // checked by libvirt's API itself, before any driver, and worded without a prefix
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_NONE,
                    "metadata title can't contain newlines");
        }
        d().setMetadata(ref, type, metadata, key, uri, flags);
    }

    /** The scheduler's name (virDomainGetSchedulerType). */
    public String getSchedulerType() throws LibvirtException { return d().getSchedulerType(ref); }

    public TypedParameter[] getSchedulerParameters() throws LibvirtException {
        return d().getSchedulerParameters(ref, -1).toArray(new TypedParameter[0]);
    }

    /** virDomainGetSchedulerParametersFlags (Flags.Affect). */
    public TypedParameter[] getSchedulerParameters(int flags) throws LibvirtException {
        return d().getSchedulerParameters(ref, flags).toArray(new TypedParameter[0]);
    }

    public void setSchedulerParameters(TypedParameter[] params) throws LibvirtException {
        conn.checkWritable("virDomainSetSchedulerParameters");
        d().setSchedulerParameters(ref, List.of(params), -1);
    }

    public void setSchedulerParameters(TypedParameter[] params, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSetSchedulerParametersFlags");
        d().setSchedulerParameters(ref, List.of(params), flags);
    }

    /** The current job (virDomainGetJobInfo). */
    public DomainJobInfo getJobInfo() throws LibvirtException {
        try {
            return d().getJobStats(ref, 0);
        } catch (LibvirtException e) {
            if (e.code() != Error.ErrorNumber.VIR_ERR_NO_SUPPORT) throw e;
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_NO_SUPPORT, Error.ErrorDomain.VIR_FROM_DOMAIN, "virDomainGetJobInfo");
        }
    }

    /** The current or last completed job with its statistics (virDomainGetJobStats, Flags.JobStats). */
    public DomainJobInfo getJobStats(int flags) throws LibvirtException { return d().getJobStats(ref, flags); }

    /** Sizes of a disk given by target or source path (virDomainGetBlockInfo). */
    public DomainBlockInfo blockInfo(String path) throws LibvirtException { return d().blockInfo(ref, path); }

    /** I/O counters of a disk given by target or source path (virDomainBlockStats). */
    public DomainBlockStats blockStats(String path) throws LibvirtException { return d().blockStats(ref, path); }

    /** Where {@link #interfaceAddresses} looks (virDomainInterfaceAddressesSource), as libvirt-java's constants. */
    public static final class InterfaceAddressesSource {
        private InterfaceAddressesSource() { }
        /** The DHCP leases of the libvirt network the interface is on. */
        public static final int VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0;
        /** The guest agent. */
        public static final int VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1;
        /** The host's ARP table. */
        public static final int VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2;
    }

    /** A running domain's interfaces with their addresses (virDomainInterfaceAddresses); source: InterfaceAddressesSource. */
    public java.util.Collection<DomainInterface> interfaceAddresses(int source, int flags) throws LibvirtException {
        if (source == InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT) conn.checkWritable("virDomainInterfaceAddresses");
        return d().interfaceAddresses(ref, source, flags);
    }

    /** Counters of an interface given by target device or MAC (virDomainInterfaceStats). */
    public DomainInterfaceStats interfaceStats(String path) throws LibvirtException { return d().interfaceStats(ref, path); }

    /** Saves the running domain's state to a file and stops it (virDomainSave). */
    public int save(String to) throws LibvirtException {
        conn.checkWritable("virDomainSave");
        d().save(ref, to);
        refresh();
        return 0;
    }

    /**
     * virDomainSaveFlags: as {@link #save(String)}, with dxml (null: none) as the domain XML the
     * image keeps (it must describe the same machine) and Flags.Save (BYPASS_CACHE; RUNNING or
     * PAUSED: the state a restore brings the domain back in).
     */
    public int save(String to, String dxml, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSaveFlags");
        ExclusiveFlags.runningOrPaused(flags);
        d().save(ref, to, dxml, flags);
        refresh();
        return 0;
    }

    /** virDomainMigrateSetMaxDowntime (ms). */
    public void migrateSetMaxDowntime(long downtime, int flags) throws LibvirtException {
        conn.checkWritable("virDomainMigrateSetMaxDowntime");
        d().migrateSetMaxDowntime(ref, downtime, flags);
    }

    public long migrateGetMaxDowntime(int flags) throws LibvirtException { return d().migrateGetMaxDowntime(ref, flags); }

    /** virDomainMigrateSetMaxSpeed (MiB/s). */
    public void migrateSetMaxSpeed(long bandwidth, int flags) throws LibvirtException {
        conn.checkWritable("virDomainMigrateSetMaxSpeed");
        d().migrateSetMaxSpeed(ref, bandwidth, flags);
    }

    public long migrateGetMaxSpeed(int flags) throws LibvirtException { return d().migrateGetMaxSpeed(ref, flags); }

    /**
     * virDomainMigrate: moves this domain to the host of dconn (libvirt-java's
     * {@code migrate(Connect, long, String, String, long)}); flags are virDomainMigrateFlags
     * (LIVE 1, PERSIST_DEST 8, UNDEFINE_SOURCE 16, PAUSED 32, ...), uri the destination as the
     * source sees it (null: the destination chooses), bandwidth MiB/s (0: the domain's
     * migrate-setspeed). Returns the domain on dconn.
     */
    public Domain migrate(Connect dconn, long flags, String dname, String uri, long bandwidth) throws LibvirtException {
        return ClientMigration.migrate(this, dconn, (int) flags, null, dname, uri, bandwidth, "virDomainMigrate");
    }

    /** virDomainMigrate2: as {@link #migrate(Connect, long, String, String, long)} with the destination's XML. */
    public Domain migrate(Connect dconn, long flags, String dxml, String dname, String uri, long bandwidth) throws LibvirtException {
        return ClientMigration.migrate(this, dconn, (int) flags, dxml, dname, uri, bandwidth, "virDomainMigrate2");
    }

    /** virDomainMigrate3 (libvirt-java names it migrate too): VIR_MIGRATE_PARAM_* parameters. */
    public Domain migrate(Connect dconn, TypedParameter[] params, long flags) throws LibvirtException {
        return ClientMigration.migrate3(this, dconn, params == null ? List.of() : List.of(params), (int) flags);
    }

    /** virDomainMigrate3 by its C name. */
    public Domain migrate3(Connect dconn, TypedParameter[] params, long flags) throws LibvirtException {
        return migrate(dconn, params, flags);
    }

    /** virDomainMigrateToURI: with PEER2PEER uri is the destination's connection URI, else the migration URI. */
    public int migrateToURI(String uri, long flags, String dname, long bandwidth) throws LibvirtException {
        boolean p2p = (flags & ClientMigration.PEER2PEER) != 0;
        if (uri == null) throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                "duri in virDomainMigrateToURI must not be NULL");
        return migrateToURI3(p2p ? uri : null, ClientMigration.compat(null, dname, p2p ? null : uri, bandwidth).toArray(new TypedParameter[0]), flags);
    }

    /** virDomainMigrateToURI2. */
    public int migrateToURI(String dconnuri, String miguri, String dxml, long flags, String dname, long bandwidth) throws LibvirtException {
        return migrateToURI3(dconnuri, ClientMigration.compat(dxml, dname, miguri, bandwidth).toArray(new TypedParameter[0]), flags);
    }

    /** virDomainMigrateToURI3: the source's driver reaches the destination itself (peer-to-peer with dconnuri, else direct). */
    public int migrateToURI3(String dconnuri, TypedParameter[] params, long flags) throws LibvirtException {
        ClientMigration.migrateToURI3(this, dconnuri, params == null ? List.of() : List.of(params), (int) flags);
        return 0;
    }

    /** virDomainAbortJob: cancels the running job (an outgoing migration fails with "operation aborted"). */
    public int abortJob() throws LibvirtException { return abortJob(0); }

    /** virDomainAbortJobFlags (VIR_DOMAIN_ABORT_JOB_POSTCOPY 1). */
    public int abortJob(int flags) throws LibvirtException {
        conn.checkWritable(flags == 0 ? "virDomainAbortJob" : "virDomainAbortJobFlags");
        d().abortJob(ref, flags);
        return 0;
    }

    public DomainSnapshot snapshotCreateXML(String xml) throws LibvirtException { return snapshotCreateXML(xml, 0); }

    public DomainSnapshot snapshotCreateXML(String xml, int flags) throws LibvirtException {
        conn.checkWritable("virDomainSnapshotCreateXML");
        return new DomainSnapshot(this, d().snapshotCreateXML(ref, xml, flags));
    }

    public String[] snapshotListNames() throws LibvirtException { return snapshotListNames(0); }

    public String[] snapshotListNames(int flags) throws LibvirtException {
        return d().snapshotListNames(ref, flags).toArray(new String[0]);
    }

    public int snapshotNum() throws LibvirtException { return snapshotListNames(0).length; }

    /** The handle of this domain's snapshot of that name, without a lookup (libvirtd's get_nonnull_domain_snapshot). */
    public DomainSnapshot snapshotFor(String name) {
        return new DomainSnapshot(this, new org.jvirt.driver.spi.SnapshotRef(ref, name));
    }

    public DomainSnapshot snapshotLookupByName(String name) throws LibvirtException {
        return new DomainSnapshot(this, d().snapshotLookupByName(ref, name));
    }

    public boolean hasCurrentSnapshot() throws LibvirtException { return d().hasCurrentSnapshot(ref); }

    public DomainSnapshot snapshotCurrent() throws LibvirtException {
        return new DomainSnapshot(this, d().snapshotCurrent(ref));
    }

    public int revertToSnapshot(DomainSnapshot snapshot) throws LibvirtException {
        return revertToSnapshot(snapshot, 0);
    }

    /** flags: virDomainSnapshotRevertFlags (RUNNING 1, PAUSED 2, FORCE 4, RESET_NVRAM 8). */
    public int revertToSnapshot(DomainSnapshot snapshot, int flags) throws LibvirtException {
        conn.checkWritable("virDomainRevertToSnapshot");
        d().revertToSnapshot(snapshot.ref(), flags);
        refresh();
        return 0;
    }

    /** Every snapshot of the domain (virDomainListAllSnapshots). */
    public List<DomainSnapshot> listAllSnapshots(int flags) throws LibvirtException {
        List<DomainSnapshot> out = new ArrayList<>();
        for (String n : snapshotListNames(flags)) out.add(snapshotLookupByName(n));
        return out;
    }

    /** Updates the id the handle carries; a transient domain that stopped is gone (id -1). */
    private void refresh() throws LibvirtException {
        int id;
        try {
            id = d().getID(ref);
        } catch (LibvirtException e) {
            if (e.code() != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) throw e;
            id = -1;
        }
        ref = new DomainRef(ref.name(), ref.uuid(), id);
    }

    @Override
    public String toString() {
        return "Domain[" + ref.name() + "]";
    }
}

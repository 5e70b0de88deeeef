package org.jvirt.driver.api;

/** virStorageVolInfo, as libvirt-java's {@code org.libvirt.StorageVolInfo}: type and sizes in bytes. */
public final class StorageVolInfo {

    /** virStorageVolType. */
    public enum VirStorageVolType { VIR_STORAGE_VOL_FILE, VIR_STORAGE_VOL_BLOCK, VIR_STORAGE_VOL_DIR,
        VIR_STORAGE_VOL_NETWORK, VIR_STORAGE_VOL_NETDIR, VIR_STORAGE_VOL_PLOOP }

    public final VirStorageVolType type;
    public final long capacity;
    public final long allocation;

    public StorageVolInfo(VirStorageVolType type, long capacity, long allocation) {
        this.type = type;
        this.capacity = capacity;
        this.allocation = allocation;
    }
}

package org.jvirt.driver.api;

/** virStoragePoolInfo, as libvirt-java's {@code org.libvirt.StoragePoolInfo}: state and sizes in bytes. */
public final class StoragePoolInfo {

    /** virStoragePoolState. */
    public enum StoragePoolState { VIR_STORAGE_POOL_INACTIVE, VIR_STORAGE_POOL_BUILDING, VIR_STORAGE_POOL_RUNNING,
        VIR_STORAGE_POOL_DEGRADED, VIR_STORAGE_POOL_INACCESSIBLE }

    /** Pool types in the order of their list filter bits (VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 64 << 0 ...). */
    public static final java.util.List<String> TYPES = java.util.List.of("dir", "fs", "netfs", "logical", "disk",
            "iscsi", "scsi", "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage", "iscsi-direct");

    public final StoragePoolState state;
    public final long capacity;
    public final long allocation;
    public final long available;

    public StoragePoolInfo(StoragePoolState state, long capacity, long allocation, long available) {
        this.state = state;
        this.capacity = capacity;
        this.allocation = allocation;
        this.available = available;
    }
}

package org.jvirt.driver.api;

/** libvirt's flag values used by this API, grouped as in libvirt.h (numbers are libvirt's). */
public final class Flags {

    private Flags() { }

    /** virConnectListAllDomainsFlags. */
    public static final class ListAllDomains {
        private ListAllDomains() { }
        public static final int ACTIVE = 1, INACTIVE = 2, PERSISTENT = 4, TRANSIENT = 8, RUNNING = 16,
                PAUSED = 32, SHUTOFF = 64, OTHER = 128, MANAGEDSAVE = 256, NO_MANAGEDSAVE = 512,
                AUTOSTART = 1024, NO_AUTOSTART = 2048, HAS_SNAPSHOT = 4096, NO_SNAPSHOT = 8192,
                HAS_CHECKPOINT = 16384, NO_CHECKPOINT = 32768;
    }

    /** virDomainXMLFlags. */
    public static final class DomainXml {
        private DomainXml() { }
        public static final int SECURE = 1, INACTIVE = 2, UPDATE_CPU = 4, MIGRATABLE = 8;
    }

    /** virDomainModificationImpact (and the VCPU/MEM maximum bits that share the field). */
    public static final class Affect {
        private Affect() { }
        public static final int CURRENT = 0, LIVE = 1, CONFIG = 2, MAXIMUM = 4;
    }

    /** virDomainDeviceModifyFlags, beside Affect's: FORCE ejects a locked tray. */
    public static final class DeviceModify {
        private DeviceModify() { }
        public static final int FORCE = 4;
    }

    /** virDomainCreateFlags. */
    public static final class Create {
        private Create() { }
        public static final int NONE = 0, START_PAUSED = 1, START_AUTODESTROY = 2, START_BYPASS_CACHE = 4,
                START_FORCE_BOOT = 8, START_VALIDATE = 16, START_RESET_NVRAM = 32;
    }

    /** virDomainUndefineFlagsValues. */
    public static final class Undefine {
        private Undefine() { }
        public static final int MANAGED_SAVE = 1, SNAPSHOTS_METADATA = 2, NVRAM = 4, KEEP_NVRAM = 8,
                CHECKPOINTS_METADATA = 16, TPM = 32, KEEP_TPM = 64;
    }

    /** virDomainSaveRestoreFlags (save, managed save). */
    public static final class Save {
        private Save() { }
        public static final int BYPASS_CACHE = 1, RUNNING = 2, PAUSED = 4;
    }

    /** virDomainDefineFlags. */
    public static final class Define {
        private Define() { }
        public static final int VALIDATE = 1;
    }

    /** virDomainSnapshotCreateFlags. */
    public static final class SnapshotCreate {
        private SnapshotCreate() { }
        public static final int REDEFINE = 1, CURRENT = 2, NO_METADATA = 4, HALT = 8, DISK_ONLY = 16,
                REUSE_EXT = 32, QUIESCE = 64, ATOMIC = 128, LIVE = 256, VALIDATE = 512;
    }

    /** virDomainSnapshotListFlags. */
    public static final class SnapshotList {
        private SnapshotList() { }
        public static final int DESCENDANTS = 1, ROOTS = 1, METADATA = 2, LEAVES = 4, NO_LEAVES = 8,
                NO_METADATA = 16, INACTIVE = 32, ACTIVE = 64, DISK_ONLY = 128, INTERNAL = 256,
                EXTERNAL = 512, TOPOLOGICAL = 1024;
    }

    /** virDomainSnapshotDeleteFlags. */
    public static final class SnapshotDelete {
        private SnapshotDelete() { }
        public static final int CHILDREN = 1, METADATA_ONLY = 2, CHILDREN_ONLY = 4;
    }

    /** virDomainMetadataType. */
    public static final class Metadata {
        private Metadata() { }
        public static final int DESCRIPTION = 0, TITLE = 1, ELEMENT = 2;
    }

    /** virDomainStatsTypes (the groups of virConnectGetAllDomainStats). */
    public static final class DomainStatsTypes {
        private DomainStatsTypes() { }
        public static final int STATE = 1, CPU_TOTAL = 2, BALLOON = 4, VCPU = 8, INTERFACE = 16, BLOCK = 32,
                PERF = 64, IOTHREAD = 128, MEMORY = 256, DIRTYRATE = 512, VM = 1024;
    }

    /** virConnectGetAllDomainStatsFlags. */
    public static final class GetAllDomainStats {
        private GetAllDomainStats() { }
        public static final int ACTIVE = 1, INACTIVE = 2, PERSISTENT = 4, TRANSIENT = 8, RUNNING = 16,
                PAUSED = 32, SHUTOFF = 64, OTHER = 128, NOWAIT = 1 << 29, BACKING = 1 << 30,
                ENFORCE_STATS = 1 << 31;
    }

    /** virDomainGetJobStatsFlags. */
    public static final class JobStats {
        private JobStats() { }
        public static final int COMPLETED = 1, KEEP_COMPLETED = 2;
    }

    /** virConnectListAllNetworksFlags. */
    public static final class ListAllNetworks {
        private ListAllNetworks() { }
        public static final int INACTIVE = 1, ACTIVE = 2, PERSISTENT = 4, TRANSIENT = 8, AUTOSTART = 16, NO_AUTOSTART = 32;
    }

    /** virConnectListAllStoragePoolsFlags (the state filters; a pool type's bit is 64 << its index in StoragePoolInfo.TYPES). */
    public static final class ListAllStoragePools {
        private ListAllStoragePools() { }
        public static final int INACTIVE = 1, ACTIVE = 2, PERSISTENT = 4, TRANSIENT = 8, AUTOSTART = 16, NO_AUTOSTART = 32;
    }

    /** virConnectListAllInterfacesFlags. */
    public static final class ListAllInterfaces {
        private ListAllInterfaces() { }
        public static final int INACTIVE = 1, ACTIVE = 2;
    }

    /** virConnectListAllNodeDeviceFlags: the state bits (a capability is 1 << its index in Device.CAPS). */
    public static final class ListAllNodeDevices {
        private ListAllNodeDevices() { }
        public static final int PERSISTENT = 1 << 28, TRANSIENT = 1 << 29, INACTIVE = 1 << 30, ACTIVE = 1 << 31;
    }

    /** virDomainShutdownFlagValues / virDomainRebootFlagValues (the same bits). */
    public static final class ShutdownMode {
        private ShutdownMode() { }
        public static final int ACPI_POWER_BTN = 1, GUEST_AGENT = 2, INITCTL = 4, SIGNAL = 8, PARAVIRT = 16;
    }
}

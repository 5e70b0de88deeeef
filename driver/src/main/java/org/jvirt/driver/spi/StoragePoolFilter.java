package org.jvirt.driver.spi;

import org.jvirt.driver.api.Flags.ListAllStoragePools;
import org.jvirt.driver.api.StoragePoolInfo;

/** virStoragePoolMatch: which pools virConnectListAllStoragePools's flags select. */
public final class StoragePoolFilter {

    private StoragePoolFilter() { }

    /** State pairs as for networks, then the type bits when any is set. */
    public static boolean matches(boolean active, boolean persistent, boolean autostart, String type, int f) {
        if ((f & (ListAllStoragePools.ACTIVE | ListAllStoragePools.INACTIVE)) != 0
                && !((active && (f & ListAllStoragePools.ACTIVE) != 0) || (!active && (f & ListAllStoragePools.INACTIVE) != 0))) return false;
        if ((f & (ListAllStoragePools.PERSISTENT | ListAllStoragePools.TRANSIENT)) != 0
                && !((persistent && (f & ListAllStoragePools.PERSISTENT) != 0) || (!persistent && (f & ListAllStoragePools.TRANSIENT) != 0))) return false;
        if ((f & (ListAllStoragePools.AUTOSTART | ListAllStoragePools.NO_AUTOSTART)) != 0
                && !((autostart && (f & ListAllStoragePools.AUTOSTART) != 0) || (!autostart && (f & ListAllStoragePools.NO_AUTOSTART) != 0))) return false;
        int types = f & ~0x3f;
        return types == 0 || (types & (64 << StoragePoolInfo.TYPES.indexOf(type))) != 0;
    }
}

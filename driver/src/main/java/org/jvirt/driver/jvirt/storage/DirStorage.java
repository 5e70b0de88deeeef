package org.jvirt.driver.jvirt.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.FileStore;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StorageVolInfo;
import org.jvirt.driver.jvirt.JvirtPaths;
import org.jvirt.driver.objxml.PoolDef;
import org.jvirt.driver.objxml.SchemaCheck;
import org.jvirt.driver.objxml.Uuids;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.StorageDriver;
import org.jvirt.driver.spi.StoragePoolFilter;
import org.jvirt.driver.spi.StoragePoolRef;
import org.jvirt.driver.spi.StorageVolRef;

/**
 * libvirt's storage driver with its fs backend's "dir" pools, for a jvirt URI: pools kept in
 * files ({@link PoolStore}), their sizes from statvfs of the target directory, their volumes
 * the regular files in it (read from the files at each call, as a refresh would), with
 * libvirt's checks and messages.
 */
public final class DirStorage implements StorageDriver {

    /** VIR_STORAGE_DEFAULT_POOL_PERM_MODE: the mode pool-build gives a directory whose XML names none. */
    static final int DEFAULT_POOL_MODE = 0711;

    private final PoolStore store;
    private final Supplier<UUID> uuids;
    private final UriLock lock;

    public DirStorage(JvirtPaths paths, Supplier<UUID> uuids, UriLock lock) {
        this.store = new PoolStore(StoragePaths.of(paths), uuids);
        this.uuids = uuids;
        this.lock = lock;
    }

    private static LibvirtException invalid(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_STORAGE, message);
    }

    private static LibvirtException noVol(String info) {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorDomain.VIR_FROM_STORAGE, info);
    }

    private static LibvirtException system(String what, IOException e) {
        String reason = e instanceof NoSuchFileException ? "No such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "File exists"
                : e.getMessage();
        return new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE, what + ": " + reason);
    }

    private StoredPool find(StoragePoolRef ref) throws LibvirtException {
        return store.byName(ref.name());
    }

    private StoredPool findActive(StoragePoolRef ref) throws LibvirtException {
        StoredPool p = find(ref);
        if (!p.active()) throw invalid("storage pool '" + p.name() + "' is not active");
        return p;
    }

    /** Only dir pools have a backend here; others are refused as a libvirt without that backend refuses them. */
    private static void requireDir(PoolDef def) throws LibvirtException {
        if (!def.type().equals("dir")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "missing backend for pool type " + StoragePoolInfo.TYPES.indexOf(def.type()) + " (" + def.type() + ")");
        }
    }

    // ---------------------------------------------------------------- pools

    @Override
    public List<StoragePoolRef> listAllPools(int flags) throws LibvirtException {
        List<StoragePoolRef> out = new ArrayList<>();
        for (StoredPool p : store.all()) {
            if (StoragePoolFilter.matches(p.active(), p.persistent(), p.autostart(), p.def().type(), flags)) out.add(p.ref());
        }
        return out;
    }

    @Override public int numOfPools() throws LibvirtException { return (int) store.all().stream().filter(StoredPool::active).count(); }

    @Override public int numOfDefinedPools() throws LibvirtException { return (int) store.all().stream().filter(p -> !p.active()).count(); }

    @Override public StoragePoolRef poolLookupByName(String name) throws LibvirtException { return store.byName(name).ref(); }

    @Override
    public StoragePoolRef poolLookupByUUID(String uuid) throws LibvirtException {
        String canonical = Uuids.canonical(uuid);
        for (StoredPool p : store.all()) if (p.def().uuid().equals(canonical)) return p.ref();
        throw PoolStore.noPool("no storage pool with matching uuid '" + uuid + "'");
    }

    @Override
    public StoragePoolRef poolLookupByVolume(StorageVolRef v) throws LibvirtException { return store.byName(v.pool()).ref(); }

    /**
     * virStoragePoolObjListAdd's and virStoragePoolObjSourceFindDuplicate's checks: the same name
     * with another uuid, the same uuid with another name, or another pool on the same directory.
     */
    private StoredPool existing(PoolDef def) throws LibvirtException {
        StoredPool same = null;
        for (StoredPool p : store.all()) {
            if (p.def().uuid().equals(def.uuid())) {
                if (!p.name().equals(def.name())) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                            "pool '" + p.name() + "' is already defined with uuid " + p.def().uuid());
                }
                same = p;
            } else if (p.name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                        "pool '" + p.name() + "' already exists with uuid " + p.def().uuid());
            }
        }
        for (StoredPool p : store.all()) {
            if (!p.name().equals(def.name()) && def.targetPath() != null && def.targetPath().equals(p.def().targetPath())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                        "Storage source conflict with pool: '" + p.name() + "'");
            }
        }
        return same;
    }

    @Override
    public StoragePoolRef poolDefineXML(String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, 1, "storagePoolDefineXML");
        if ((flags & 1) != 0) SchemaCheck.validate(xml, "storagepool.rng");
        PoolDef def = PoolDef.parse(xml, uuids);
        requireDir(def);
        try (UriLock.Held h = lock.acquire()) {
            StoredPool old = existing(def);
            store.writeConfig(def);
            if (old == null || !old.active()) store.setLastRefresh(def.name(), null);
            return new StoragePoolRef(def.name(), def.uuid());
        }
    }

    @Override
    public StoragePoolRef poolCreateXML(String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, CREATE_BUILD_FLAGS, "storagePoolCreateXML");
        PoolDef def = PoolDef.parse(xml, uuids);
        requireDir(def);
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = existing(def);
            if (p != null && p.active()) throw invalid("storage pool '" + p.name() + "' is already active");
            if ((flags & CREATE_BUILD_FLAGS) != 0) build(def);
            checkDirectory(def);
            refreshVolumes(def);
            store.writeState(def);
            return new StoragePoolRef(def.name(), def.uuid());
        }
    }

    /** What the dir backend's refresh needs to start a pool: a directory it can open. */
    private static void checkDirectory(PoolDef def) throws LibvirtException {
        Path dir = Path.of(def.targetPath());
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.iterator().hasNext();
        } catch (java.nio.file.NotDirectoryException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "cannot open directory '" + dir + "': Not a directory");
        } catch (IOException e) {
            throw system("cannot open directory '" + dir + "'", e);
        }
    }

    @Override
    public void poolCreate(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, CREATE_BUILD_FLAGS, "storagePoolCreate");
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = find(ref);
            if (p.active()) throw invalid("storage pool '" + p.name() + "' is already active");
            if ((flags & CREATE_BUILD_FLAGS) != 0) build(p.def());
            checkDirectory(p.def());
            refreshVolumes(p.def());
            store.writeState(p.def());
            store.setLastRefresh(p.name(), null);
        }
    }

    @Override
    public void poolDestroy(StoragePoolRef ref) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = findActive(ref);
            store.setLastRefresh(p.name(), p.persistent() ? poolGetXMLDesc(ref, 0) : null);
            store.deleteState(p.name());
            store.setVolumes(p.name(), null);
        }
    }

    @Override
    public void poolUndefine(StoragePoolRef ref) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = find(ref);
            if (p.active()) throw invalid("storage pool '" + p.name() + "' is still active");
            store.deleteConfig(p.name());
            store.setLastRefresh(p.name(), null);
        }
    }

    @Override
    public void poolRefresh(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storagePoolRefresh");
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = findActive(ref);
            checkDirectory(p.def());
            refreshVolumes(p.def());
        }
    }

    /** The dir backend's buildPool: the target directory, with the XML's mode (default 0711). */
    @Override
    public void poolBuild(StoragePoolRef ref, int flags) throws LibvirtException {
        // VIR_STORAGE_POOL_BUILD_NO_OVERWRITE (4), _OVERWRITE (2) make no difference for a directory
        CheckFlags.check(flags, 6, "storagePoolBuild");
        StoredPool p = find(ref);
        if (p.active()) throw invalid("storage pool '" + p.name() + "' is already active");
        build(p.def());
    }

    /** VIR_STORAGE_POOL_CREATE_WITH_BUILD (1), _OVERWRITE (2), _NO_OVERWRITE (4): build before starting. */
    private static final int CREATE_BUILD_FLAGS = 7;

    private static void build(PoolDef def) throws LibvirtException {
        Path dir = Path.of(def.targetPath());
        try {
            VolumeFiles.mkdir(dir, def.targetMode(DEFAULT_POOL_MODE));
        } catch (IOException e) {
            throw system("cannot create path '" + dir + "'", e);
        }
    }

    /** The dir backend's deletePool: rmdir of the (empty) target directory. */
    @Override
    public void poolDelete(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storagePoolDelete");
        StoredPool p = find(ref);
        if (p.active()) throw invalid("storage pool '" + p.name() + "' is still active");
        try {
            Files.delete(p.dir());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "failed to remove pool '" + p.dir() + "': Directory not empty");
        } catch (IOException e) {
            throw system("failed to remove pool '" + p.dir() + "'", e);
        }
    }

    /**
     * statvfs of the target as libvirt's refresh reads it: capacity f_blocks, available f_bfree
     * (not f_bavail: the blocks reserved for root count as available), allocation the rest.
     */
    private static long[] sizes(StoredPool p) throws LibvirtException {
        if (!p.active()) return new long[] {0, 0, 0};
        try {
            FileStore fs = Files.getFileStore(p.dir());
            long total = fs.getTotalSpace();
            long free = fs.getUnallocatedSpace();
            return new long[] {total, total - free, free};
        } catch (IOException e) {
            throw system("cannot statvfs path '" + p.dir() + "'", e);
        }
    }

    @Override
    public StoragePoolInfo poolGetInfo(StoragePoolRef ref) throws LibvirtException {
        StoredPool p = find(ref);
        long[] s = sizes(p);
        return new StoragePoolInfo(p.active() ? StoragePoolInfo.StoragePoolState.VIR_STORAGE_POOL_RUNNING
                : StoragePoolInfo.StoragePoolState.VIR_STORAGE_POOL_INACTIVE, s[0], s[1], s[2]);
    }

    @Override
    public String poolGetXMLDesc(StoragePoolRef ref, int flags) throws LibvirtException {
        // VIR_STORAGE_XML_INACTIVE (1)
        CheckFlags.check(flags, 1, "storagePoolGetXMLDesc");
        StoredPool p = find(ref);
        if (!p.active()) {
            String last = store.lastRefresh(p.name());
            return last != null ? last : p.def().format(0, 0, 0);
        }
        long[] s = sizes(p);
        return p.def().format(s[0], s[1], s[2], directoryPerms(p.dir()));
    }

    /** A running pool shows its directory's mode and owner, as its refresh read them. */
    private static PoolDef.Permissions directoryPerms(Path dir) throws LibvirtException {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid,gid");
            return new PoolDef.Permissions((Integer) a.get("mode") & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"));
        } catch (IOException e) {
            throw system("cannot stat path '" + dir + "'", e);
        }
    }

    @Override public boolean poolGetAutostart(StoragePoolRef ref) throws LibvirtException { return find(ref).autostart(); }

    @Override
    public void poolSetAutostart(StoragePoolRef ref, boolean on) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = find(ref);
            if (!p.persistent()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_STORAGE, "pool has no config file");
            }
            store.setAutostart(p.name(), on);
        }
    }

    @Override public boolean poolIsActive(StoragePoolRef ref) throws LibvirtException { return find(ref).active(); }

    @Override public boolean poolIsPersistent(StoragePoolRef ref) throws LibvirtException { return find(ref).persistent(); }

    /** Starts the autostart pools that are not running (after a reboot emptied the run directory). */
    public void autostart() throws LibvirtException {
        for (StoredPool p : store.all()) {
            if (p.autostart() && !p.active()) {
                try {
                    poolCreate(p.ref(), 0);
                } catch (LibvirtException e) {
                    // libvirt logs an autostart failure and goes on with the other pools
                }
            }
        }
    }

    // ---------------------------------------------------------------- volumes

    /** virStorageBackendRefreshLocal: the pool now knows the regular files of its directory, and only them. */
    private void refreshVolumes(PoolDef def) throws LibvirtException {
        List<String> names = new ArrayList<>();
        for (Path f : files(Path.of(def.targetPath()))) names.add(f.getFileName().toString());
        store.setVolumes(def.name(), names);
    }

    private static List<Path> files(Path dir) throws LibvirtException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s) if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) out.add(f);
        } catch (IOException e) {
            throw system("cannot open directory '" + dir + "'", e);
        }
        out.sort(null);
        return out;
    }

    private static StorageVolRef ref(StoredPool p, Path file) {
        return new StorageVolRef(p.name(), file.getFileName().toString(), file.toString());
    }

    @Override
    public List<StorageVolRef> listAllVolumes(StoragePoolRef ref) throws LibvirtException {
        StoredPool p = findActive(ref);
        List<StorageVolRef> out = new ArrayList<>();
        for (String n : store.volumes(p.name())) out.add(ref(p, p.dir().resolve(n)));
        return out;
    }

    /** The file of p's volume NAME, if p knows one by that name (its file may have gone since). */
    private Path volumeFile(StoredPool p, String name) throws LibvirtException {
        return store.volumes(p.name()).contains(name) ? p.dir().resolve(name) : null;
    }

    @Override
    public StorageVolRef volLookupByName(StoragePoolRef ref, String name) throws LibvirtException {
        StoredPool p = findActive(ref);
        Path f = volumeFile(p, name);
        if (f == null) throw noVol("no storage vol with matching name '" + name + "'");
        return ref(p, f);
    }

    /** The volume at path in an active pool, or null. */
    private StorageVolRef byPath(String path) throws LibvirtException {
        Path wanted = Path.of(path).toAbsolutePath().normalize();
        if (wanted.getParent() == null) return null;
        for (StoredPool p : store.all()) {
            if (!p.active() || !wanted.getParent().equals(p.dir().toAbsolutePath().normalize())) continue;
            Path f = volumeFile(p, wanted.getFileName().toString());
            if (f != null) return ref(p, f);
        }
        return null;
    }

    @Override
    public StorageVolRef volLookupByKey(String key) throws LibvirtException {
        StorageVolRef v = key.startsWith("/") ? byPath(key) : null;
        if (v == null || !v.key().equals(key)) throw noVol("no storage vol with matching key " + key);
        return v;
    }

    @Override
    public StorageVolRef volLookupByPath(String path) throws LibvirtException {
        StorageVolRef v = path.startsWith("/") ? byPath(path) : null;
        if (v == null) throw noVol("no storage vol with matching path '" + path + "'");
        return v;
    }

    /** The volume a handle names, in its pool, which must be active. */
    private VolumeFile volume(StorageVolRef ref) throws LibvirtException {
        StoredPool p = store.byName(ref.pool());
        if (!p.active()) throw invalid("storage pool '" + p.name() + "' is not active");
        Path f = volumeFile(p, ref.name());
        if (f == null) throw noVol("no storage vol with matching name '" + ref.name() + "'");
        try {
            return VolumeFile.of(f);
        } catch (NoSuchFileException e) {
            // libvirt's refresh of the volume finds no file: the lookup it does fails so
            throw noVol("no storage vol with matching path '" + f + "'");
        } catch (IOException e) {
            throw system("cannot stat file '" + f + "'", e);
        }
    }

    @Override
    public StorageVolRef volCreateXML(StoragePoolRef ref, String xml, int flags) throws LibvirtException {
        // VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA (1), VALIDATE (4)
        CheckFlags.check(flags, 5, "storageVolCreateXML");
        if ((flags & 4) != 0) SchemaCheck.validate(xml, "storagevol.rng");
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = findActive(ref);
            NewVolume v = NewVolume.parse(xml);
            Path f = target(p, v);
            try {
                VolumeFiles.create(f, v, (flags & 1) != 0);
            } catch (IOException e) {
                throw system("cannot create volume file '" + f + "'", e);
            }
            addVolume(p, v);
            return ref(p, f);
        }
    }

    private void addVolume(StoredPool p, NewVolume v) throws LibvirtException {
        List<String> names = new ArrayList<>(store.volumes(p.name()));
        names.add(v.def().name());
        store.setVolumes(p.name(), names);
    }

    /** Where a new volume goes, refused if the pool knows one by its name (virStorageVolDefFindByName) or a file has it. */
    private Path target(StoredPool p, NewVolume v) throws LibvirtException {
        Path f = p.dir().resolve(v.def().name());
        if (store.volumes(p.name()).contains(v.def().name()) || Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_STORAGE_VOL_EXIST, ErrorDomain.VIR_FROM_STORAGE, v.def().name());
        }
        return f;
    }

    @Override
    public StorageVolRef volCreateXMLFrom(StoragePoolRef ref, String xml, StorageVolRef clone, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storageVolCreateXMLFrom");
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = findActive(ref);
            VolumeFile source = volume(clone);
            NewVolume v = NewVolume.parse(xml);
            Path f = target(p, v);
            try {
                VolumeFiles.copy(source.path(), f, v);
            } catch (IOException e) {
                throw system("cannot copy volume '" + source.path() + "' to '" + f + "'", e);
            }
            addVolume(p, v);
            return ref(p, f);
        }
    }

    @Override
    public void volDelete(StorageVolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storageVolDelete");
        try (UriLock.Held h = lock.acquire()) {
            StoredPool p = store.byName(ref.pool());
            if (!p.active()) throw invalid("storage pool '" + p.name() + "' is not active");
            Path f = volumeFile(p, ref.name());
            if (f == null) throw noVol("no storage vol with matching name '" + ref.name() + "'");
            try {
                // a file already gone is no failure (libvirt ignores ENOENT)
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw system("cannot unlink file '" + f + "'", e);
            }
            List<String> names = new ArrayList<>(store.volumes(p.name()));
            names.remove(ref.name());
            store.setVolumes(p.name(), names);
        }
    }

    @Override
    public StorageVolInfo volGetInfo(StorageVolRef ref) throws LibvirtException {
        VolumeFile v = volume(ref);
        return new StorageVolInfo(StorageVolInfo.VirStorageVolType.VIR_STORAGE_VOL_FILE, v.capacity(), v.allocation());
    }

    @Override
    public StorageVolInfo volGetInfoFlags(StorageVolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 1, "storageVolGetInfoFlags");
        VolumeFile v = volume(ref);
        return new StorageVolInfo(StorageVolInfo.VirStorageVolType.VIR_STORAGE_VOL_FILE, v.capacity(),
                (flags & 1) != 0 ? v.physical() : v.allocation());
    }

    @Override
    public String volGetXMLDesc(StorageVolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storageVolGetXMLDesc");
        return volume(ref).xml();
    }

    /** The path the pool has for the volume, its file not looked at (libvirt's storageVolGetPath). */
    @Override
    public String volGetPath(StorageVolRef ref) throws LibvirtException {
        StoredPool p = store.byName(ref.pool());
        if (!p.active()) throw invalid("storage pool '" + p.name() + "' is not active");
        Path f = volumeFile(p, ref.name());
        if (f == null) throw noVol("no storage vol with matching name '" + ref.name() + "'");
        return f.toString();
    }

    /** storageVolResize: flags ALLOCATE (1), DELTA (2), SHRINK (4), checked in libvirt's order and words. */
    @Override
    public void volResize(StorageVolRef ref, long capacity, int flags) throws LibvirtException {
        CheckFlags.check(flags, 7, "storageVolResize");
        try (UriLock.Held h = lock.acquire()) {
            VolumeFile v = volume(ref);
            long abs;
            if ((flags & 2) != 0) {
                abs = (flags & 4) != 0 ? v.capacity() - Math.min(capacity, v.capacity()) : v.capacity() + capacity;
            } else {
                abs = capacity;
            }
            if (abs < v.allocation()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_STORAGE,
                        "can't shrink capacity below existing allocation");
            }
            if (abs < v.capacity() && (flags & 4) == 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_STORAGE,
                        "Can't shrink capacity below current capacity unless shrink flag explicitly specified");
            }
            long delta = (flags & 1) != 0 ? abs - v.allocation() : 0;
            StoredPool p = store.byName(ref.pool());
            if (delta > sizes(p)[2]) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                        "Not enough space left in storage pool");
            }
            try {
                VolumeFiles.resize(v, abs, (flags & 1) != 0);
            } catch (IOException e) {
                throw system("Failed to truncate volume with path '" + v.path() + "' to " + abs + " bytes", e);
            }
        }
    }

    @Override
    public void volWipe(StorageVolRef ref, int flags) throws LibvirtException {
        volWipePattern(ref, 0, flags);
    }

    /** storageVolWipePattern: ZERO, TRIM (refused, as libvirt's fs backend does) or a scrub(1) pattern. */
    @Override
    public void volWipePattern(StorageVolRef ref, int algorithm, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storageVolWipePattern");
        if (algorithm < 0 || algorithm > 9) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_STORAGE,
                    "wiping algorithm " + algorithm + " not supported");
        }
        try (UriLock.Held h = lock.acquire()) {
            VolumeFile v = volume(ref);
            try {
                VolumeFiles.wipe(v, algorithm);
            } catch (IOException e) {
                throw system("cannot wipe volume '" + v.path() + "'", e);
            }
        }
    }

    /** virStorageBackendVolUploadLocal: the volume's file opened for writing at offset (never created, never truncated). */
    @Override
    public java.io.OutputStream volUpload(StorageVolRef ref, long offset, long length, int flags) throws LibvirtException {
        // VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM (1) needs the stream's hole messages, which local streams do not carry
        CheckFlags.check(flags, 0, "storageVolUpload");
        VolumeFile v = volume(ref);
        return VolumeStreams.upload(v.path(), offset, length);
    }

    /** virStorageBackendVolDownloadLocal: the volume's file read from offset. */
    @Override
    public java.io.InputStream volDownload(StorageVolRef ref, long offset, long length, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "storageVolDownload");
        VolumeFile v = volume(ref);
        return VolumeStreams.download(v.path(), offset, length);
    }

    /** The path of volume V of pool P: how a domain's {@code <disk type='volume'>} finds its file (virDomainDiskTranslateSourcePool). */
    public String diskSourcePath(String pool, String volume) throws LibvirtException {
        StoredPool p = store.byName(pool);
        if (!p.active()) throw invalid("storage pool '" + pool + "' containing volume '" + volume + "' is not active");
        return volGetPath(new StorageVolRef(p.name(), volume, null));
    }
}

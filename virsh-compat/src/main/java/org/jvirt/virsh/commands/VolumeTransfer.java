package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.string;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StorageVol;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;

/** virsh's vol-upload and vol-download (cmdVolUpload, cmdVolDownload): a volume's bytes from or to a local file. */
final class VolumeTransfer {

    private VolumeTransfer() { }

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("vol-upload", VolumeCommands.GROUP, "upload file contents to a volume", "Upload file contents to a volume",
                        options("file", "volume offset to upload to", "amount of data to upload"), VolumeTransfer::upload),
                new CmdDef("vol-download", VolumeCommands.GROUP, "download volume contents to a file",
                        "Download volume contents to a file",
                        options("file", "volume offset to download from", "amount of data to download"), VolumeTransfer::download));
    }

    private static List<OptDef> options(String file, String offsetHelp, String lengthHelp) {
        return List.of(data("vol", "vol name, key or path"), data(file, "file"), string("pool", "pool name or uuid"),
                new OptDef("offset", OptType.INT, false, false, offsetHelp),
                new OptDef("length", OptType.INT, false, false, lengthHelp),
                bool("sparse", "preserve sparseness of volume"));
    }

    /** offset and length, or null after virsh's message for a bad number. */
    private static long[] range(Vsh vsh, Cmd cmd) {
        try {
            Long offset = MigrationCommands.unsigned(vsh, cmd, "offset");
            Long length = MigrationCommands.unsigned(vsh, cmd, "length");
            return new long[] {offset == null ? 0 : offset, length == null ? 0 : length};
        } catch (Options.Invalid e) {
            return null;
        }
    }

    private static boolean upload(Vsh vsh, Cmd cmd) throws LibvirtException {
        long[] range = range(vsh, cmd);
        if (range == null) return false;
        StorageVol vol = VolumeCommands.lookup(vsh, cmd);
        if (vol == null) return false;
        String name = cmd.get("file");
        Path file = vsh.path(name);
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            vsh.error("cannot read " + name);
            return false;
        }
        String failed = "cannot upload to volume " + cmd.get("vol");
        try (in) {
            OutputStream out;
            try {
                out = vol.upload(range[0], range[1], cmd.flag("sparse") ? 1 : 0);
            } catch (LibvirtException e) {
                return vsh.fail(failed, e);
            }
            try (out) {
                in.transferTo(out);
            }
            return true;
        } catch (IOException e) {
            vsh.error(failed);
            return false;
        }
    }

    private static boolean download(Vsh vsh, Cmd cmd) throws LibvirtException {
        long[] range = range(vsh, cmd);
        if (range == null) return false;
        StorageVol vol = VolumeCommands.lookup(vsh, cmd);
        if (vol == null) return false;
        String name = cmd.get("file");
        OutputStream out;
        try {
            out = Files.newOutputStream(vsh.path(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            vsh.error("cannot create " + name);
            return false;
        }
        String failed = "cannot download from volume " + cmd.get("vol");
        try (out) {
            InputStream in;
            try {
                in = vol.download(range[0], range[1], cmd.flag("sparse") ? 1 : 0);
            } catch (LibvirtException e) {
                return vsh.fail(failed, e);
            }
            try (in) {
                in.transferTo(out);
            }
            return true;
        } catch (IOException e) {
            vsh.error(failed);
            return false;
        }
    }
}

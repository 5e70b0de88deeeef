package org.jvirt.vmm.control;

import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvirt.vmm.protocol.BalloonInfo;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ErrorInfo;

/**
 * The balloon's commands as QEMU 7.2 answers them: balloon, query-balloon, and qom-get/qom-set
 * of the balloon device's guest-stats and guest-stats-polling-interval, with QEMU's words for
 * the refusals.
 */
final class BalloonCommands {

    /** Where libvirt finds the balloon: its alias under QEMU's peripheral container. */
    static final String PATH = "/machine/peripheral/balloon0";
    /** QEMU's names of the statistics (VIRTIO_BALLOON_S_*), in tag order. */
    static final String[] STAT_NAMES = {"stat-swap-in", "stat-swap-out", "stat-major-faults", "stat-minor-faults",
            "stat-free-memory", "stat-total-memory", "stat-available-memory", "stat-disk-caches", "stat-htlb-pgalloc", "stat-htlb-pgfail"};
    private static final String NO_BALLOON = "No balloon device has been activated";

    private BalloonCommands() { }

    static Object balloon(BalloonControl b, Command.Balloon c) throws ControlError {
        if (c.value() == null) throw new IllegalArgumentException("Parameter 'value' is missing");
        if (b == null) throw new ControlError(ErrorInfo.DEVICE_NOT_ACTIVE, NO_BALLOON);
        if (c.value() <= 0) throw new IllegalArgumentException("Parameter 'target' expects a size");
        b.setTarget(c.value());
        return new org.jvirt.vmm.protocol.Ack();
    }

    static BalloonInfo query(BalloonControl b) throws ControlError {
        if (b == null) throw new ControlError(ErrorInfo.DEVICE_NOT_ACTIVE, NO_BALLOON);
        return new BalloonInfo(b.actualBytes());
    }

    static JsonNode qomGet(BalloonControl b, Command.QomGet c) throws ControlError {
        requireDevice(b, c.path());
        JsonNodeFactory f = JsonNodeFactory.instance;
        if ("guest-stats-polling-interval".equals(c.property())) return f.numberNode(b.pollInterval());
        if ("guest-stats".equals(c.property())) {
            ObjectNode o = f.objectNode();
            ObjectNode stats = o.putObject("stats");
            long[] v = b.stats();
            for (int i = 0; i < STAT_NAMES.length; i++) stats.put(STAT_NAMES[i], new BigInteger(Long.toUnsignedString(v[i])));
            o.put("last-update", b.lastUpdate());
            return o;
        }
        throw noProperty(c.property());
    }

    static Object qomSet(BalloonControl b, Command.QomSet c) throws ControlError {
        requireDevice(b, c.path());
        if (!"guest-stats-polling-interval".equals(c.property())) {
            if ("guest-stats".equals(c.property())) throw new IllegalArgumentException("Insufficient permission to perform this operation");
            throw noProperty(c.property());
        }
        JsonNode v = c.value();
        if (v == null) throw new IllegalArgumentException("Parameter 'value' is missing");
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new IllegalArgumentException("Invalid parameter type for 'guest-stats-polling-interval', expected: integer");
        b.setPollInterval(v.asLong());
        return new org.jvirt.vmm.protocol.Ack();
    }

    private static void requireDevice(BalloonControl b, String path) throws ControlError {
        if (path == null) throw new IllegalArgumentException("Parameter 'path' is missing");
        if (b == null || !(PATH.equals(path) || "balloon0".equals(path))) throw new ControlError(ErrorInfo.DEVICE_NOT_FOUND, "Device '" + path + "' not found");
    }

    private static IllegalArgumentException noProperty(String name) {
        return new IllegalArgumentException("Property 'virtio-balloon-pci." + name + "' not found");
    }
}

package org.jvirt.vmm.cli;

import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.control.ControlTarget;
import org.jvirt.vmm.machine.Machine;

import java.util.List;
import java.util.Map;

/**
 * The control socket's view of this process's VM: run state, pause/cont, power button,
 * reset and quit, with the QMP events each causes (STOP, RESUME, POWERDOWN, RESET; SHUTDOWN
 * is sent by {@link JvirtVmmMain} when the VM ends).
 */
final class VmControl implements ControlTarget {

    private final Machine machine;
    private final List<Map<String, Object>> chardevs;
    private volatile ControlServer server;
    private volatile boolean paused;
    private volatile boolean quitRequested;

    VmControl(Machine machine, boolean startPaused, List<Map<String, Object>> chardevs) {
        this.machine = machine;
        this.paused = startPaused;
        this.chardevs = chardevs;
        machine.onReset(() -> emit("RESET"));
    }

    void serveOn(ControlServer s) {
        this.server = s;
    }

    boolean quitRequested() {
        return quitRequested;
    }

    void emit(String event) {
        ControlServer s = server;
        if (s != null) s.emit(event, null);
    }

    @Override
    public String status() {
        if (!machine.isRunning()) return "shutdown";
        return paused ? "paused" : "running";
    }

    @Override
    public synchronized void pause() throws Exception {
        if (paused) return;
        machine.pause();
        paused = true;
        emit("STOP");
    }

    @Override
    public synchronized void resume() {
        if (!paused) return;
        machine.resume();
        paused = false;
        emit("RESUME");
    }

    @Override
    public void powerdown() {
        machine.requestPowerButton();
        emit("POWERDOWN");
    }

    @Override
    public void reset() {
        machine.reset();
    }

    @Override
    public List<Map<String, Object>> chardevs() {
        return chardevs;
    }

    @Override
    public List<Map<String, Object>> blockstats() {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        List<org.jvirt.vmm.devices.virtio.VirtioBlock> disks = machine.board().disks();
        for (int i = 0; i < disks.size(); i++) {
            out.add(Map.of("device", "jvirt-disk" + i, "stats", disks.get(i).counters().toMap()));
        }
        return out;
    }

    @Override
    public void quit() {
        quitRequested = true;
        machine.stop();
    }
}

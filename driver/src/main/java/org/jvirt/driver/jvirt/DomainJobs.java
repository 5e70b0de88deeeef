package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.JobInfo;

/**
 * virDomainGetJobStats on a jvirt URI: the domain's VMM reports its running save or snapshot
 * (query-jvirt-job), which any client sees while another one waits for that job; the
 * statistics carry the names and meanings of libvirt's qemu driver (operation, time elapsed,
 * data and memory processed / remaining / total: the guest RAM the state file has gone through).
 */
final class DomainJobs {
    private DomainJobs() { }

    /** virDomainJobOperation: the ones jvirt runs. */
    static final int OPERATION_SAVE = 2, OPERATION_MIGRATION_OUT = 5, OPERATION_SNAPSHOT = 6;

    static DomainJobInfo stats(StoredDomain o, JvirtPaths paths, int flags) throws LibvirtException {
        boolean completed = (flags & Flags.JobStats.COMPLETED) != 0;
        if (!o.active()) {
            if (completed) return lastMigration(o, paths); // the VMM that ran it is gone: a migration's figures were kept
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN, "domain is not running");
        }
        JobInfo job = query(o);
        boolean active = JobInfo.ACTIVE.equals(job.status());
        boolean ended = JobInfo.COMPLETED.equals(job.status()) || JobInfo.FAILED.equals(job.status());
        if (completed ? !ended : !active) return none();
        int type = active ? DomainJobInfo.UNBOUNDED : JobInfo.COMPLETED.equals(job.status()) ? DomainJobInfo.COMPLETED : DomainJobInfo.FAILED;
        List<TypedParameter> p = new ArrayList<>();
        p.add(TypedParameter.integer("operation", switch (String.valueOf(job.operation())) {
            case "snapshot" -> OPERATION_SNAPSHOT;
            case "migration-out" -> OPERATION_MIGRATION_OUT;
            default -> OPERATION_SAVE;
        }));
        p.add(TypedParameter.ullong("time_elapsed", job.elapsedMs()));
        for (String what : new String[] {"data", "memory"}) {
            p.add(TypedParameter.ullong(what + "_total", job.total()));
            p.add(TypedParameter.ullong(what + "_processed", job.processed()));
            p.add(TypedParameter.ullong(what + "_remaining", job.remaining()));
        }
        JobInfo.MigrationRam ram = job.ram();
        if (ram != null) {
            // the figures libvirt's qemu driver takes from query-migrate's "ram"
            p.add(TypedParameter.ullong("memory_bps", ram.bytesPerSecond()));
            p.add(TypedParameter.ullong("memory_page_size", ram.pageSize()));
            p.add(TypedParameter.ullong("memory_iteration", ram.iteration()));
            p.add(TypedParameter.ullong("memory_constant", ram.constantPages()));
            p.add(TypedParameter.ullong("memory_normal", ram.normalPages()));
            p.add(TypedParameter.ullong("memory_normal_bytes", ram.normalPages() * ram.pageSize()));
            // virsh's "Auto converge throttle", only while there is one (libvirt adds it when cpu-throttle-percentage is not 0)
            if (ram.cpuThrottle() > 0) p.add(TypedParameter.integer("auto_converge_throttle", ram.cpuThrottle()));
        }
        if (job.error() != null) p.add(TypedParameter.string("errmsg", job.error()));
        return new DomainJobInfo(type, p);
    }

    /** virDomainAbortJobFlags' VIR_DOMAIN_ABORT_JOB_POSTCOPY. */
    static final int ABORT_POSTCOPY = 1;

    /**
     * virDomainAbortJob as the qemu driver answers it: the running outgoing migration is
     * cancelled (the VMM stops sending and the guest runs on here; Perform then fails with
     * "operation aborted"); without a job, or for a job jvirt cannot cancel, libvirt's refusals.
     */
    static void abort(StoredDomain o, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, ABORT_POSTCOPY, "qemuDomainAbortJobFlags");
        DomainStore.requireActive(o);
        JobInfo job = query(o);
        if (!JobInfo.ACTIVE.equals(job.status())) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU, "no job is active on the domain");
        }
        boolean migration = "migration-out".equals(job.operation());
        if ((flags & ABORT_POSTCOPY) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU,
                    "current job is not outgoing migration in post-copy mode");
        }
        if (!migration) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot abort a " + job.operation() + " job of jvirt-vmm");
        }
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), Duration.ofSeconds(10))) {
            c.call(new Command.JvirtMigrateCancel());
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU, "cannot abort the migration: " + e.getMessage());
        }
    }

    /** A domain migrated away: its last migration's figures as libvirt's completed migration job, else none. */
    private static DomainJobInfo lastMigration(StoredDomain o, JvirtPaths paths) throws LibvirtException {
        MigrationSettings s;
        try {
            s = MigrationSettings.of(paths, o.name());
        } catch (java.io.IOException e) {
            return none();
        }
        org.jvirt.vmm.protocol.MigrationStats m = s.lastMigration();
        if (m == null) return none();
        List<TypedParameter> p = new ArrayList<>();
        p.add(TypedParameter.integer("operation", OPERATION_MIGRATION_OUT));
        p.add(TypedParameter.ullong("time_elapsed", m.totalMs()));
        p.add(TypedParameter.ullong("downtime", m.downtimeMs()));
        p.add(TypedParameter.ullong("data_total", s.lastMemory()));
        p.add(TypedParameter.ullong("data_processed", m.transferred()));
        p.add(TypedParameter.ullong("data_remaining", 0));
        p.add(TypedParameter.ullong("memory_total", s.lastMemory()));
        p.add(TypedParameter.ullong("memory_processed", m.transferred()));
        p.add(TypedParameter.ullong("memory_remaining", 0));
        return new DomainJobInfo(DomainJobInfo.COMPLETED, p);
    }

    /** Whether the domain's VMM is sending it to another host right now. */
    static boolean outgoingMigration(StoredDomain o) throws LibvirtException {
        JobInfo job = query(o);
        return JobInfo.ACTIVE.equals(job.status()) && "migration-out".equals(job.operation());
    }

    private static DomainJobInfo none() {
        return new DomainJobInfo(DomainJobInfo.NONE, List.of());
    }

    private static JobInfo query(StoredDomain o) throws LibvirtException {
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), Duration.ofSeconds(10))) {
            return c.call(new Command.QueryJvirtJob());
        } catch (IOException e) {
            // the VMM ended meanwhile (a save stops it) or predates jobs: no job runs
            return JobInfo.none();
        }
    }
}

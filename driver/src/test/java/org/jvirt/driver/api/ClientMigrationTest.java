package org.jvirt.driver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.MigrationPhase;
import org.junit.jupiter.api.Test;

/**
 * The client-side sequence of virDomainMigrateVersion3Full with parameters, against two
 * scripted drivers that record each phase: the cookies and parameters handed on, the flags
 * each side sees, and the cancellation rules (Finish cancelled after a failed Perform and
 * Confirm skipped; Confirm cancelled when Finish gives no domain; which error the caller gets).
 */
class ClientMigrationTest {
    static final int LIVE = 1, PAUSED = 32, AUTO_CONVERGE = 8192;
    static final DomainRef SRC = new DomainRef("tick", "0b7d6a6e-5d1c-4c1a-9a47-3c3b2f1f0a01", 3);

    /** What each phase does: a reply, or a LibvirtException to throw. */
    private final Map<String, Object> script = new java.util.HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private DomainInfo.DomainState sourceState = DomainInfo.DomainState.VIR_DOMAIN_RUNNING;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static String params(Object p) {
        StringBuilder sb = new StringBuilder();
        for (TypedParameter t : (List<TypedParameter>) p) sb.append(t.field()).append('=').append(t.valueText()).append(';');
        return sb.toString();
    }

    /** A driver whose migration entries record their call and answer from the script. */
    private DriverConnection driver(String side) {
        Map<String, Function<Object[], String>> describe = Map.of(
                "migrateBegin3", a -> "begin " + params(a[1]) + " flags=" + a[2],
                "migratePrepare3", a -> "prepare " + params(a[0]) + " cookie=" + s((byte[]) a[1]) + " flags=" + a[2],
                "migratePerform3", a -> "perform dconnuri=" + a[1] + " " + params(a[2]) + " cookie=" + s((byte[]) a[3]) + " flags=" + a[4],
                "migrateFinish3", a -> "finish " + params(a[0]) + " cookie=" + s((byte[]) a[1]) + " flags=" + a[2] + " cancelled=" + a[3],
                "migrateConfirm3", a -> "confirm cookie=" + s((byte[]) a[2]) + " flags=" + a[3] + " cancelled=" + a[4]);
        InvocationHandler h = (proxy, m, args) -> {
            String name = m.getName();
            if (describe.containsKey(name)) {
                calls.add(side + " " + describe.get(name).apply(args));
                Object r = script.get(name);
                if (r instanceof LibvirtException e) throw e;
                return r;
            }
            return switch (name) {
                case "migrationSupported" -> true;
                case "getState" -> new DomainStateReason(sourceState, 1);
                case "getURI" -> side + ":///";
                default -> InvocationHandler.invokeDefault(proxy, m, args);
            };
        };
        return (DriverConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DriverConnection.class}, h);
    }

    private void succeed() {
        script.put("migrateBegin3", new MigrationPhase.Begin(b("c1"), "<domain/>"));
        script.put("migratePrepare3", new MigrationPhase.Prepared(b("c2"), "tcp:dst:49152"));
        script.put("migratePerform3", b("c3"));
        script.put("migrateFinish3", new MigrationPhase.Finished(new DomainRef("tick", SRC.uuid(), 7), b("c4")));
    }

    private Domain source() {
        return Connect.wrap(driver("src"), false).domainFor(SRC);
    }

    private final Connect dest = Connect.wrap(driver("dst"), false);

    private static LibvirtException qemu(ErrorNumber n, String info) {
        return new LibvirtException(n, ErrorDomain.VIR_FROM_QEMU, info);
    }

    @Test
    void theFivePhasesHandOnCookiesUriXmlAndName() throws Exception {
        succeed();
        Domain there = source().migrate3(dest, new TypedParameter[] {TypedParameter.ullong("bandwidth", 5)}, LIVE | AUTO_CONVERGE);
        assertEquals(7, there.ref().id());
        assertSame(dest, there.getConnect());
        assertEquals(List.of(
                "src begin bandwidth=5; flags=8193",
                "dst prepare bandwidth=5;destination_xml=<domain/>; cookie=c1 flags=1", // no AUTO_CONVERGE on the destination
                "src perform dconnuri=null bandwidth=5;destination_xml=<domain/>;migrate_uri=tcp:dst:49152; cookie=c2 flags=8193",
                "dst finish bandwidth=5;destination_xml=<domain/>;migrate_uri=tcp:dst:49152;destination_name=tick; cookie=c3 flags=1 cancelled=false",
                "src confirm cookie=c4 flags=8193 cancelled=false"), calls);
    }

    @Test
    void aPausedSourceMigratesPaused() throws Exception {
        succeed();
        sourceState = DomainInfo.DomainState.VIR_DOMAIN_PAUSED;
        source().migrate(dest, LIVE, null, null, 0);
        assertEquals("dst prepare destination_xml=<domain/>; cookie=c1 flags=" + (LIVE | PAUSED), calls.get(1));
    }

    @Test
    void aFailedPerformCancelsFinishSkipsConfirmAndKeepsItsError() {
        succeed();
        LibvirtException perform = qemu(ErrorNumber.VIR_ERR_OPERATION_ABORTED, "migration out job: canceled by client");
        script.put("migratePerform3", perform);
        script.put("migrateFinish3", qemu(ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK, null));
        LibvirtException e = assertThrows(LibvirtException.class, () -> source().migrate3(dest, new TypedParameter[0], LIVE));
        assertSame(perform, e);
        assertEquals(4, calls.size(), calls.toString());
        assertEquals("dst finish destination_xml=<domain/>;migrate_uri=tcp:dst:49152;destination_name=tick; cookie=null flags=1 cancelled=true",
                calls.get(3));
    }

    @Test
    void finishsRealErrorReplacesAFailedPerformsGenericOne() {
        succeed();
        script.put("migratePerform3", qemu(ErrorNumber.VIR_ERR_OPERATION_FAILED, "migration out job: unexpectedly failed"));
        LibvirtException died = qemu(ErrorNumber.VIR_ERR_OPERATION_FAILED, "domain 'tick' did not receive the migration");
        script.put("migrateFinish3", died);
        assertSame(died, assertThrows(LibvirtException.class, () -> source().migrate3(dest, new TypedParameter[0], LIVE)));
        // but not "migration successfully aborted"
        calls.clear();
        LibvirtException perform = qemu(ErrorNumber.VIR_ERR_OPERATION_FAILED, "migration out job: unexpectedly failed");
        script.put("migratePerform3", perform);
        script.put("migrateFinish3", qemu(ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK, null));
        assertSame(perform, assertThrows(LibvirtException.class, () -> source().migrate3(dest, new TypedParameter[0], LIVE)));
    }

    @Test
    void aFailedFinishCancelsConfirm() {
        succeed();
        LibvirtException finish = qemu(ErrorNumber.VIR_ERR_OPERATION_FAILED, "domain 'tick' did not receive the migration");
        script.put("migrateFinish3", finish);
        assertSame(finish, assertThrows(LibvirtException.class, () -> source().migrate3(dest, new TypedParameter[0], LIVE)));
        assertEquals("src confirm cookie=null flags=1 cancelled=true", calls.get(4));
    }

    @Test
    void aPrepareWithoutUriSkipsPerformAndCancels() {
        succeed();
        script.put("migratePrepare3", new MigrationPhase.Prepared(b("c2"), null));
        script.put("migrateFinish3", qemu(ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK, null)); // as a driver answers cancelled=1
        LibvirtException e = assertThrows(LibvirtException.class, () -> source().migrate3(dest, new TypedParameter[0], LIVE));
        assertEquals("internal error: domainMigratePrepare3 did not set uri", e.getMessage());
        assertEquals(List.of("src begin  flags=1", "dst prepare destination_xml=<domain/>; cookie=c1 flags=1",
                "dst finish destination_xml=<domain/>;destination_name=tick; cookie=c2 flags=1 cancelled=true",
                "src confirm cookie=null flags=1 cancelled=true"), calls); // a failed Finish hands on no cookie
    }

    @Test
    void libvirtsOwnRefusalsComeBeforeAnyPhase() {
        LibvirtException p2p = assertThrows(LibvirtException.class, () -> source().migrate3(dest, new TypedParameter[0], LIVE | 2));
        assertEquals("use virDomainMigrateToURI3 for peer-to-peer migration", p2p.getMessage());
        LibvirtException tunnel = assertThrows(LibvirtException.class, () -> source().migrate(dest, LIVE | 4, null, null, 0));
        assertEquals("Requested operation is not valid: cannot perform tunnelled migration without using peer2peer flag", tunnel.getMessage());
        LibvirtException offline = assertThrows(LibvirtException.class, () -> source().migrate(dest, 1024, null, null, 0));
        assertEquals("argument unsupported: offline migration is not supported by the source host", offline.getMessage());
        LibvirtException ro = assertThrows(LibvirtException.class,
                () -> source().migrate(Connect.wrap(driver("dst"), true), LIVE, null, null, 0));
        assertEquals("operation forbidden: read only access prevents virDomainMigrate", ro.getMessage());
        assertEquals(List.of(), calls);
    }
}

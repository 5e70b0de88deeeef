package org.jvirt.driver.libvirtjava;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;

/** The scenario's calls through jvirt's API (org.jvirt.driver.api), shaped after libvirt-java. */
final class JvirtApi implements ReferenceApi {

    private final Connect conn;

    JvirtApi(String uri) throws ApiError {
        try {
            conn = new Connect(uri);
        } catch (LibvirtException e) {
            throw error(e);
        }
    }

    private static ApiError error(LibvirtException e) {
        Error er = e.getError();
        // jvirt's enums carry libvirt's numbers
        return new ApiError(er.getCode().name(), er.getCode().code(), er.getDomain().name(), er.getMessage());
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws LibvirtException;
    }

    private static <T> T call(Call<T> c) throws ApiError {
        try {
            return c.call();
        } catch (LibvirtException e) {
            throw error(e);
        }
    }

    @Override
    public List<String> runningNames() throws ApiError {
        return call(() -> {
            List<String> names = new ArrayList<>();
            for (int id : conn.listDomains()) names.add(conn.domainLookupByID(id).getName());
            // libvirt lists ids in its hash table's order, which no API promises: compare sorted
            names.sort(null);
            return names;
        });
    }

    @Override
    public List<String> definedNames() throws ApiError {
        return call(() -> List.of(conn.listDefinedDomains()));
    }

    @Override
    public String info(String name) throws ApiError {
        return call(() -> {
            var d = conn.domainLookupByName(name);
            DomainInfo i = d.getInfo();
            return "state=" + i.state.name() + " maxMem=" + i.maxMem + " memory=" + i.memory + " nrVirtCpu=" + i.nrVirtCpu
                    + " id=" + d.getID() + " uuid=" + d.getUUIDString() + " active=" + d.isActive()
                    + " persistent=" + d.isPersistent();
        });
    }

    @Override
    public String xml(String name, int flags) throws ApiError {
        return call(() -> conn.domainLookupByName(name).getXMLDesc(flags));
    }

    @Override
    public String define(String xml) throws ApiError {
        return call(() -> conn.domainDefineXML(xml).getName());
    }

    @Override
    public void create(String name) throws ApiError {
        call(() -> conn.domainLookupByName(name).create());
    }

    @Override
    public void suspend(String name) throws ApiError {
        call(() -> { conn.domainLookupByName(name).suspend(); return null; });
    }

    @Override
    public void resume(String name) throws ApiError {
        call(() -> { conn.domainLookupByName(name).resume(); return null; });
    }

    @Override
    public void destroy(String name) throws ApiError {
        call(() -> { conn.domainLookupByName(name).destroy(); return null; });
    }

    @Override
    public void undefine(String name) throws ApiError {
        call(() -> { conn.domainLookupByName(name).undefine(); return null; });
    }

    @Override
    public long cpuTime(String name) throws ApiError {
        return call(() -> conn.domainLookupByName(name).getInfo().cpuTime);
    }

    @Override
    public String scheduler(String name) throws ApiError {
        return call(() -> {
            var d = conn.domainLookupByName(name);
            StringBuilder b = new StringBuilder(d.getSchedulerType());
            for (var p : d.getSchedulerParameters()) b.append(' ').append(p.field()).append('=').append(p.valueText());
            return b.toString();
        });
    }

    @Override
    public String screenshot(String name, int screen) throws ApiError {
        return call(() -> {
            org.jvirt.driver.api.Stream st = conn.streamNew(0);
            String mime = conn.domainLookupByName(name).screenshot(st, screen);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = st.receive(buf)) > 0; ) out.write(buf, 0, n);
            st.finish();
            return ReferenceApi.describe(mime, out.toByteArray());
        });
    }

    @Override
    public void sendKey(String name, int codeset, int holdtime, int... keys) throws ApiError {
        call(() -> {
            conn.domainLookupByName(name).sendKey(codeset, holdtime, keys, 0);
            return null;
        });
    }

    @Override
    public String blockInfo(String name, String path) throws ApiError {
        return call(() -> {
            var i = conn.domainLookupByName(name).blockInfo(path);
            return "capacity=" + i.getCapacity() + " allocation=" + i.getAllocation() + " physical=" + i.getPhysical();
        });
    }

    private static String signs(long... values) {
        StringBuilder b = new StringBuilder();
        for (long v : values) b.append(v > 0 ? '+' : v == 0 ? '0' : '-');
        return b.toString();
    }

    @Override
    public String blockStatsSigns(String name, String path) throws ApiError {
        return call(() -> {
            var s = conn.domainLookupByName(name).blockStats(path);
            return signs(s.rd_req, s.rd_bytes, s.wr_req, s.wr_bytes, s.errs);
        });
    }

    @Override
    public String interfaceStatsSigns(String name, String device) throws ApiError {
        return call(() -> {
            var s = conn.domainLookupByName(name).interfaceStats(device);
            return signs(s.rx_bytes, s.rx_packets, s.rx_errs, s.rx_drop, s.tx_bytes, s.tx_packets, s.tx_errs, s.tx_drop);
        });
    }

    @Override
    public String interfaceAddresses(String name, int source) throws ApiError {
        return call(() -> {
            StringBuilder b = new StringBuilder();
            for (var i : conn.domainLookupByName(name).interfaceAddresses(source, 0)) {
                b.append(i.name).append(' ').append(i.hwAddr);
                for (var a : i.addrs) b.append(' ').append(a.address.getHostAddress()).append('/').append(a.prefixLength);
                b.append('\n');
            }
            return b.toString();
        });
    }

    @Override
    public String jobType(String name) throws ApiError {
        return call(() -> String.valueOf(conn.domainLookupByName(name).getJobInfo().getType()));
    }

    @Override
    public String getMetadata(String name, int type, String uri, int flags) throws ApiError {
        return call(() -> conn.domainLookupByName(name).getMetadata(type, uri, flags));
    }

    @Override
    public void setMetadata(String name, int type, String value, String key, String uri, int flags) throws ApiError {
        call(() -> { conn.domainLookupByName(name).setMetadata(type, value, key, uri, flags); return null; });
    }

    @Override
    public long freeMemory() throws ApiError {
        return call(conn::getFreeMemory);
    }

    @Override
    public long cellsFreeMemory(int startCell) throws ApiError {
        return call(() -> conn.getCellsFreeMemory(startCell, 1));
    }

    @Override
    public String sysinfo() throws ApiError {
        return call(conn::getSysinfo);
    }

    @Override
    public void close() throws ApiError {
        call(conn::close);
    }
}

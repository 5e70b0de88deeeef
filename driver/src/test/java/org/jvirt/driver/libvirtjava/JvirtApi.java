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
    public void close() throws ApiError {
        call(conn::close);
    }
}

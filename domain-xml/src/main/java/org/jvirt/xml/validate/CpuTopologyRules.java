package org.jvirt.xml.validate;

import static org.jvirt.xml.validate.XmlAttributeRules.unsignedInt;

import org.jvirt.xml.domain.Cpu;
import org.jvirt.xml.domain.CpuTopology;

/**
 * {@code <cpu><topology>} as libvirt 9.0's virCPUDefParseXML reads it: sockets, cores and
 * threads required, dies optional, each a non-zero unsigned int, checked in that order.
 * (libvirt 9.0 does not know {@code clusters} and ignores it; so does this.)
 */
final class CpuTopologyRules {

    private CpuTopologyRules() { }

    static void check(Cpu cpu) throws InvalidDomainException {
        CpuTopology t = cpu == null ? null : cpu.getTopology();
        if (t == null) return;
        unsignedInt(t.getSockets(), "sockets", "topology", true, true);
        unsignedInt(t.getDies(), "dies", "topology", false, true);
        unsignedInt(t.getCores(), "cores", "topology", true, true);
        unsignedInt(t.getThreads(), "threads", "topology", true, true);
    }
}

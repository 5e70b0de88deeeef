package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Domain;

/** Save and restore, managed save, save images, and the job that shows their progress. */
final class SaveProcedures {
    private SaveProcedures() { }

    static void register(ProcedureTable t) {
        t.add(DOMAIN_SAVE, "virDomainSave", Access.WRITE, c -> {
            Domain d = c.domain();
            d.save(c.readString("to"));
        });
        t.add(DOMAIN_SAVE_FLAGS, "virDomainSaveFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            String to = c.readString("to");
            String dxml = c.readOptionalString("dxml");
            d.save(to, dxml, c.readInt());
        });
        t.add(DOMAIN_RESTORE, "virDomainRestore", Access.WRITE, c -> c.conn().restore(c.readString("from")));
        t.add(DOMAIN_RESTORE_FLAGS, "virDomainRestoreFlags", Access.WRITE, c -> {
            String from = c.readString("from");
            String dxml = c.readOptionalString("dxml");
            c.conn().restore(from, dxml, c.readInt());
        });
        t.add(DOMAIN_SAVE_IMAGE_GET_XML_DESC, "virDomainSaveImageGetXMLDesc", Access.READ, c -> {
            String file = c.readString("file");
            int flags = c.readInt();
            if ((flags & 1) != 0 && c.state.readOnly) { // VIR_DOMAIN_SAVE_IMAGE_XML_SECURE
                throw new RpcFailure(WireErrors.withTemplate(WireErrors.VIR_ERR_OPERATION_DENIED, WireErrors.VIR_FROM_DOMAIN,
                        "operation forbidden: virDomainSaveImageGetXMLDesc with secure flag", "operation forbidden: %s"));
            }
            c.ret.writeString(c.conn().saveImageGetXMLDesc(file, flags));
        });
        t.add(DOMAIN_SAVE_IMAGE_DEFINE_XML, "virDomainSaveImageDefineXML", Access.WRITE, c -> {
            String file = c.readString("file");
            String dxml = c.readString("dxml");
            c.conn().saveImageDefineXML(file, dxml, c.readInt());
        });
        t.add(DOMAIN_MANAGED_SAVE, "virDomainManagedSave", Access.WRITE, c -> {
            Domain d = c.domain();
            d.managedSave(c.readInt());
        });
        t.add(DOMAIN_MANAGED_SAVE_REMOVE, "virDomainManagedSaveRemove", Access.WRITE, c -> {
            Domain d = c.domain();
            c.readInt();
            d.managedSaveRemove();
        });
        t.add(DOMAIN_MANAGED_SAVE_GET_XML_DESC, "virDomainManagedSaveGetXMLDesc", Access.READ, c -> {
            Domain d = c.domain();
            c.ret.writeString(d.managedSaveGetXMLDesc(c.readInt()));
        });
        t.add(DOMAIN_MANAGED_SAVE_DEFINE_XML, "virDomainManagedSaveDefineXML", Access.WRITE, c -> {
            Domain d = c.domain();
            String dxml = c.readOptionalString("dxml");
            d.managedSaveDefineXML(dxml, c.readInt());
        });
    }
}

package org.jvirt.driver.jvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.TypedParameter;

/**
 * virsh migrate --dname on a jvirt destination: as qemuMigrationDstPrepareAny renames the
 * incoming definition to VIR_MIGRATE_PARAM_DEST_NAME, Prepare gets the XML with that name, so
 * the guest arrives under it and Finish finds it by it.
 */
final class MigrationRename {
    private MigrationRename() { }

    /** The domain's own name: the first name element after the root's start tag. */
    private static final Pattern DOMAIN_NAME = Pattern.compile("(<domain\\b[^>]*>.*?<name>)([^<]*)(</name>)", Pattern.DOTALL);

    static List<TypedParameter> apply(List<TypedParameter> params) {
        String dname = null, xml = null;
        for (TypedParameter p : params) {
            if (p.value() == null) continue;
            if (p.field().equals("destination_name")) dname = p.valueText();
            if (p.field().equals("destination_xml")) xml = p.valueText();
        }
        if (dname == null || xml == null) return params;
        Matcher m = DOMAIN_NAME.matcher(xml);
        if (!m.find() || m.group(2).equals(dname)) return params;
        String renamed = xml.substring(0, m.start(2)) + escape(dname) + xml.substring(m.end(2));
        List<TypedParameter> out = new ArrayList<>(params.size());
        for (TypedParameter p : params) out.add(p.field().equals("destination_xml") ? TypedParameter.string("destination_xml", renamed) : p);
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

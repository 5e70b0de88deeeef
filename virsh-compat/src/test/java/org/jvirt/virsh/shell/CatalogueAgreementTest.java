package org.jvirt.virsh.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.virsh.commands.Commands;
import org.junit.jupiter.api.Test;

/**
 * Every command jvirsh defines by hand agrees with virsh 9.0's definition in the catalogue:
 * group, help line, description, connection need, and each option's name, type, required and
 * positional flags, help text and place. A command merged with a typo or a missing option fails
 * here instead of printing a help page or parsing a line differently from virsh.
 */
class CatalogueAgreementTest {

    @Test
    void everyImplementedCommandIsVirshs() {
        List<String> problems = new ArrayList<>();
        for (CmdDef ours : Commands.all().values()) {
            CmdDef virsh = Catalogue.definition(ours.name());
            if (virsh == null) {
                problems.add(ours.name() + ": virsh 9.0 has no such command");
                continue;
            }
            check(problems, ours, "group", virsh.group(), ours.group());
            check(problems, ours, "help", virsh.help(), ours.help());
            check(problems, ours, "desc", virsh.desc(), ours.desc());
            check(problems, ours, "needsConnection", virsh.needsConnection(), ours.needsConnection());
            check(problems, ours, "options", signatures(virsh), signatures(ours));
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void catalogueHasEveryVirshCommand() {
        
        assertEquals(15, Catalogue.groups().size());
        int n = 0;
        for (Catalogue.Group g : Catalogue.groups()) n += g.commands().size();
        // virsh 9.0: 274 commands in `help`, plus the hidden `complete` and `self-test`
        assertEquals(276, n);
        assertEquals("nodedev-detach", Catalogue.aliasTarget("nodedev-dettach"));
        assertTrue(Catalogue.definition("blockcopy").opts().stream().anyMatch(o -> o.name().equals("bandwidth")));
    }

    private static void check(List<String> problems, CmdDef def, String what, Object virsh, Object ours) {
        if (!virsh.equals(ours)) problems.add(def.name() + ": " + what + " is\n    " + ours + "\n  virsh:\n    " + virsh);
    }

    private static List<String> signatures(CmdDef def) {
        List<String> out = new ArrayList<>();
        for (OptDef o : def.opts()) {
            out.add(o.name() + " " + o.type() + (o.required() ? " req" : "") + (o.positional() ? " positional" : "")
                    + " '" + o.help() + "'");
        }
        return out;
    }
}

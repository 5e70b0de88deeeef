package org.jvirt.virsh.shell;

import java.util.ArrayList;
import java.util.List;

/** virsh's table (vsh-table.c): left aligned, a space before, three between, a dashed rule. */
public final class VshTable {

    private final List<String[]> rows = new ArrayList<>();

    public VshTable(String... header) {
        rows.add(header);
    }

    public void add(String... row) {
        rows.add(row);
    }

    public String render() {
        return render(true);
    }

    /**
     * Without the header (virsh -q), as vshTablePrint(table, false): the header neither prints
     * nor counts in the column widths.
     */
    public String render(boolean header) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (int r = header ? 0 : 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < n; i++) width[i] = Math.max(width[i], row[i].codePointCount(0, row[i].length()));
        }
        StringBuilder b = new StringBuilder();
        if (header) {
            line(b, rows.get(0), width);
            int dashes = 0;
            for (int w : width) dashes += w + 3;
            b.append("-".repeat(dashes)).append('\n');
        }
        for (int r = 1; r < rows.size(); r++) line(b, rows.get(r), width);
        return b.toString();
    }

    private static void line(StringBuilder b, String[] cells, int[] width) {
        b.append(' ');
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i + 1 < cells.length) {
                b.append(" ".repeat(width[i] - cells[i].codePointCount(0, cells[i].length()))).append("   ");
            }
        }
        b.append('\n');
    }
}

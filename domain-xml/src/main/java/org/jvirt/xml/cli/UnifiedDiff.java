package org.jvirt.xml.cli;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two line lists (LCS-based; documents here are small), three lines of context. */
final class UnifiedDiff {

    private UnifiedDiff() { }

    static String of(String fromName, List<String> a, String toName, List<String> b) {
        int n = a.size(), m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        // edit script: ' ', '-', '+' with line indexes
        List<int[]> ops = new ArrayList<>();   // {op, ai, bi}
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) { ops.add(new int[]{' ', i++, j++}); }
            else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) { ops.add(new int[]{'-', i++, j}); }
            else { ops.add(new int[]{'+', i, j++}); }
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(fromName).append('\n').append("+++ ").append(toName).append('\n');
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k)[0] == ' ') { k++; continue; }
            int start = Math.max(0, k - 3), end = k;
            // extend the hunk while changes are within 6 lines of each other
            int lastChange = k;
            while (end < ops.size()) {
                if (ops.get(end)[0] != ' ') lastChange = end;
                else if (end - lastChange > 6) break;
                end++;
            }
            end = Math.min(ops.size(), lastChange + 4);
            int aStart = ops.get(start)[1], bStart = ops.get(start)[2], aLen = 0, bLen = 0;
            StringBuilder body = new StringBuilder();
            for (int x = start; x < end; x++) {
                int[] op = ops.get(x);
                String line = op[0] == '+' ? b.get(op[2]) : a.get(op[1]);
                body.append((char) op[0]).append(line).append('\n');
                if (op[0] != '+') aLen++;
                if (op[0] != '-') bLen++;
            }
            out.append("@@ -").append(aStart + 1).append(',').append(aLen)
               .append(" +").append(bStart + 1).append(',').append(bLen).append(" @@\n").append(body);
            k = end;
        }
        return out.toString();
    }
}

package org.jvirt.daemon.cli;

import org.jvirt.daemon.config.DaemonPaths;

/** jvirtd --help: libvirtd's text and layout, naming jvirtd, its --root option and its default paths. */
final class Usage {
    private Usage() {
    }

    /**
     * @param paths the defaults to show; null for a session daemon, whose paths are shown with
     *              the variables they come from, as libvirtd shows them
     */
    static String text(String argv0, DaemonPaths paths) {
        StringBuilder b = new StringBuilder("\n"
                + "Usage:\n"
                + "  " + argv0 + " [options]\n"
                + "\n"
                + "Options:\n"
                + "  -h | --help            Display program help\n"
                + "  -v | --verbose         Verbose messages\n"
                + "  -d | --daemon          Run as a daemon & write PID file\n"
                + "  -l | --listen          Listen for TCP/IP connections\n"
                + "  -t | --timeout <secs>  Exit after timeout period\n"
                + "  -f | --config <file>   Configuration file\n"
                + "  -V | --version         Display version information\n"
                + "  -p | --pid-file <file> Change name of PID file\n"
                + "       --root <dir>      Serve jvirt:///embed?root=<dir> as the system driver, with\n"
                + "                         sockets, PKI files, logs and PID file under <dir>\n"
                + "\n"
                + "jvirt management daemon:\n"
                + "\n"
                + "  Default paths:\n"
                + "\n"
                + "    Configuration file (unless overridden by -f):\n");
        if (paths == null) {
            b.append("      $XDG_CONFIG_HOME/jvirt/jvirtd.conf\n"
                    + "\n"
                    + "    Sockets:\n"
                    + "      $XDG_RUNTIME_DIR/libvirt/libvirt-sock\n"
                    + "\n"
                    + "    TLS:\n"
                    + "      CA certificate: $HOME/.pki/libvirt/cacert.pem\n"
                    + "      Server certificate: $HOME/.pki/libvirt/servercert.pem\n"
                    + "      Server private key: $HOME/.pki/libvirt/serverkey.pem\n"
                    + "\n"
                    + "    PID file (unless overridden by -p):\n"
                    + "      $XDG_RUNTIME_DIR/libvirt/jvirtd.pid\n"
                    + "\n");
        } else {
            b.append("      ").append(paths.configFile()).append("\n"
                    + "\n"
                    + "    Sockets:\n"
                    + "      ").append(paths.unixSockDir().resolve("libvirt-sock")).append("\n"
                    + "      ").append(paths.unixSockDir().resolve("libvirt-sock-ro")).append("\n"
                    + "\n"
                    + "    TLS:\n"
                    + "      CA certificate: ").append(paths.caFile()).append("\n"
                    + "      Server certificate: ").append(paths.certFile()).append("\n"
                    + "      Server private key: ").append(paths.keyFile()).append("\n"
                    + "\n"
                    + "    PID file (unless overridden by -p):\n"
                    + "      ").append(paths.pidFile()).append("\n"
                    + "\n");
        }
        return b.toString();
    }
}

package org.jvirt.daemon.config;

/** libvirt's auth schemes for a listening socket (auth_tcp, auth_tls, auth_unix_ro, auth_unix_rw). */
public enum Auth {
    NONE("none"), SASL("sasl"), POLKIT("polkit");

    private final String word;

    Auth(String word) {
        this.word = word;
    }

    /** The spelling in libvirtd.conf. */
    public String word() {
        return word;
    }

    static Auth parse(ConfFile conf, String key, String value) throws ConfigException {
        for (Auth a : values()) {
            if (a.word.equals(value)) return a;
        }
        throw new ConfigException("unsupported configuration: " + conf.file() + ": " + key + ": unsupported auth " + value);
    }
}

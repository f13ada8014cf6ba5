package dev.raftledger.raftd.metrics;

/**
 * Where the metrics endpoint listens: {@code PORT} (on the node's bind address),
 * {@code HOST:PORT}, or {@code [IPV6]:PORT}.
 */
public record MetricsAddress(String host, int port) {

    public MetricsAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("metrics address: the host is empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("metrics port " + port + " is out of range 0-65535");
        }
    }

    /** Parses an operator's {@code [HOST:]PORT}; a bare port listens on {@code defaultHost}. */
    public static MetricsAddress parse(String spec, String defaultHost) {
        String s = spec.strip();
        int colon = s.lastIndexOf(':');
        String host = defaultHost;
        String port = s;
        if (colon >= 0) {
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException("metrics address '" + spec
                        + "': put an IPv6 address in brackets, as in [::1]:9100");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("metrics address '" + spec
                        + "': no host before ':' (give a PORT alone to use the bind address, or 0.0.0.0:PORT)");
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics address '" + spec + "': '" + port + "' is not a port number");
        }
        if (p < 1 || p > 65_535) {
            throw new IllegalArgumentException("metrics address '" + spec + "': port " + p + " is out of range 1-65535");
        }
        return new MetricsAddress(host, p);
    }

    /** As an operator would write it (IPv6 in brackets). */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

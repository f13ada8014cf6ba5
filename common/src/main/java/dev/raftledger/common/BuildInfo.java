package dev.raftledger.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project's version, written into a resource by the build. */
public final class BuildInfo {

    private static final String VERSION = load();

    private BuildInfo() {}

    public static String version() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}

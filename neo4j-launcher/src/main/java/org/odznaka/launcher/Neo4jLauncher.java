package org.odznaka.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingImpl;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs the stock Neo4j Community engine in this JVM with only the Bolt connector open on loopback.
 *
 * <p>Options (command line wins over environment):
 * <pre>
 *   --home DIR            ODZNAKA_NEO4J_HOME        data, transaction logs and logs/ go here
 *   --bolt-port N         ODZNAKA_NEO4J_BOLT_PORT   default 7687
 *   --password-file FILE  ODZNAKA_NEO4J_PASSWORD    password of user neo4j (env holds the value itself)
 *   --page-cache SIZE     ODZNAKA_NEO4J_PAGE_CACHE  default 512m
 * </pre>
 * Heap is left to the caller (-Xms/-Xmx). Prints {@code NEO4J_READY bolt://127.0.0.1:PORT} once usable.
 */
public final class Neo4jLauncher {

    static final String READY_PREFIX = "NEO4J_READY ";
    private static final String SAME_PASSWORD_ERROR = "Old password and new password cannot be the same";

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            // Engine threads are not daemons, so leave explicitly; the shutdown hook closes the engine.
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = parseArgs(args);
        Path home = Path.of(option(options, "home", "ODZNAKA_NEO4J_HOME", null)).toAbsolutePath();
        int port = Integer.parseInt(option(options, "bolt-port", "ODZNAKA_NEO4J_BOLT_PORT", "7687"));
        String pageCache = option(options, "page-cache", "ODZNAKA_NEO4J_PAGE_CACHE", "512m");
        String password = readPassword(options);
        Files.createDirectories(home);

        DatabaseManagementService dbms = build(home, port, pageCache);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT run shutdown hooks; a clean shutdown avoids recovery on the next start.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-launcher-shutdown"));

        setPassword(dbms, password);
        System.out.println(READY_PREFIX + "bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementService build(Path home, int port, String pageCache) {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                // neo4j.log lines go to stdout, which the caller captures; debug.log goes to home/logs.
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Stores are checkpointed before Bolt closes; Netty's default 5 s quiet period per
                // connector would only add ~10 s to every stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1);
        setParsed(builder, GraphDatabaseSettings.pagecache_memory, pageCache);
        // Keep disk use low: one old transaction log file besides the current one, and each file
        // (preallocated at full size) small, since every database, system included, has its own.
        setParsed(builder, GraphDatabaseSettings.keep_logical_logs, "1 files");
        setParsed(builder, GraphDatabaseSettings.logical_log_rotation_threshold, "16m");
        return builder.build();
    }

    /** Parses a setting from its text form with the engine's own parser, e.g. "512m" or "1 files". */
    @SuppressWarnings("unchecked")
    private static <T> void setParsed(DatabaseManagementServiceBuilder builder, Setting<T> setting, String text) {
        builder.setConfig(setting, ((SettingImpl<T>) setting).parse(text));
    }

    /**
     * Makes the given password the one of user neo4j, without a forced change. Runs on every
     * start so the password file stays authoritative; re-setting the current password is
     * rejected by Neo4j with a "cannot be the same" error, which means it is already right.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            if (!causeChainMentions(e, SAME_PASSWORD_ERROR)) {
                throw e;
            }
        }
    }

    private static boolean causeChainMentions(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String readPassword(Map<String, String> options) throws IOException {
        String file = options.get("password-file");
        String password = file != null
                ? Files.readString(Path.of(file), StandardCharsets.UTF_8).strip()
                : System.getenv("ODZNAKA_NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password: pass --password-file or set ODZNAKA_NEO4J_PASSWORD");
        }
        return password;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String option(Map<String, String> options, String name, String envName, String fallback) {
        String value = options.getOrDefault(name, System.getenv(envName));
        if (value == null) {
            value = fallback;
        }
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name + " (or " + envName + ")");
        }
        return value;
    }
}

package dev.raftledger.raftd.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.raftledger.raftd.core.CoreStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics endpoint: the JDK's HTTP server with one daemon handler thread,
 * {@code raftd-metrics}. {@code GET /metrics} is the Prometheus exposition; {@code GET /healthz}
 * says whether the event loop answers (200) or not (503), for container health checks. Other
 * paths get 404, other methods 405. Scrapes are served one at a time: Prometheus scrapes a
 * target serially, and one thread keeps the node's footprint small.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Exposition exposition;

    private MetricsServer(HttpServer server, ExecutorService executor, Exposition exposition) {
        this.server = server;
        this.executor = executor;
        this.exposition = exposition;
    }

    /** Binds and starts serving; a port that cannot be bound is an IOException naming it. */
    public static MetricsServer start(MetricsAddress address, Exposition exposition) throws IOException {
        limitSlowClients();
        InetSocketAddress bind = new InetSocketAddress(address.host(), address.port());
        if (bind.isUnresolved()) {
            throw new IOException("cannot resolve metrics address " + address.host());
        }
        HttpServer server;
        try {
            server = HttpServer.create(bind, 16);
        } catch (BindException e) {
            throw new IOException("cannot bind the metrics endpoint to " + address + " (TCP): " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftd-metrics");
            t.setDaemon(true);
            return t;
        });
        MetricsServer metrics = new MetricsServer(server, executor, exposition);
        server.createContext("/", metrics::handle);
        server.setExecutor(executor);
        server.start();
        return metrics;
    }

    /**
     * The single handler thread reads each request itself, so a client that connects and then
     * stalls mid-request would block every scrape after it; the JDK server closes such a
     * connection after maxReqTime (default: never). Set only if the operator has not, and before
     * the JDK's server reads its configuration (once, at its first use).
     */
    private static void limitSlowClients() {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "5");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "5");
        }
    }

    /** The bound address (with the actual port, if port 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops listening and ends the handler thread (a scrape in progress is cut off), so that a
     * stopped node has no thread of its own left, as with its other threads.
     */
    @Override
    public void close() {
        server.stop(0); // closes the socket and joins the JDK's dispatcher thread
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the metrics thread did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!"/metrics".equals(path) && !"/healthz".equals(path)) {
                respond(exchange, head, 404, "not found: " + path + " (try /metrics or /healthz)\n");
            } else if (!"GET".equals(method) && !head) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, false, 405, "method " + method + " not allowed: use GET or HEAD\n");
            } else if ("/metrics".equals(path)) {
                metrics(exchange, head);
            } else {
                health(exchange, head);
            }
        }
    }

    private void metrics(HttpExchange exchange, boolean head) throws IOException {
        String text;
        try {
            text = exposition.render();
        } catch (RuntimeException e) {
            // a bug, not bad input: say so to the scraper and the log, and keep serving
            LOG.warn("the metrics exposition failed", e);
            respond(exchange, head, 500, "the metrics exposition failed: " + e + "\n");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", Exposition.CONTENT_TYPE);
        respond(exchange, head, 200, text);
    }

    private void health(HttpExchange exchange, boolean head) throws IOException {
        CoreStatus core = exposition.awaitCore();
        if (core != null) {
            respond(exchange, head, 200, "ok: " + core.role().wireName() + " in term " + core.term() + "\n");
        } else {
            respond(exchange, head, 503, "the event loop did not answer within " + exposition.loopWait().toMillis()
                    + " ms\n");
        }
    }

    private static void respond(HttpExchange exchange, boolean head, int status, String body) throws IOException {
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

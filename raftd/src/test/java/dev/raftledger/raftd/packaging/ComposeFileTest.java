package dev.raftledger.raftd.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.NodeAddress;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.raftd.RaftdConfigs;
import dev.raftledger.raftd.core.Timings;
import dev.raftledger.raftd.driver.start.NodeConfig;
import dev.raftledger.raftd.packaging.DockerfileInstructions.Instruction;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * packaging/compose/ checked without Docker (no engine on the build machine): compose.yaml runs
 * the seed's five nodes and raftctl with configurations raftd accepts, and the Dockerfile copies
 * what exists and runs the launcher. {@code docker compose config} runs too where the client has
 * the compose plugin; elsewhere that one test is skipped (an assumption, reported as skipped).
 */
class ComposeFileTest {

    private static final List<String> NODES = List.of("Node1", "Node2", "Node3", "Node4", "Node5");
    private static final Set<String> SEED_PORTS = Set.of("9000/udp", "9001/udp", "9002/udp", "5555/udp");

    private static Path composeDir;
    private static Path composeFile;
    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("packaging/compose/compose.yaml"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "packaging/compose/compose.yaml above " + Path.of("").toAbsolutePath());
        composeDir = dir.resolve("packaging/compose");
        composeFile = composeDir.resolve("compose.yaml");
        compose = new YAMLMapper().readTree(composeFile.toFile());
        services = compose.path("services");
    }

    @Test
    void fiveNodesAsInTheSeedAndRaftctl() {
        Set<String> names = new LinkedHashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        Set<String> expected = new LinkedHashSet<>(NODES);
        expected.add("raftctl");
        assertEquals(expected, names);
        for (String node : NODES) {
            JsonNode s = services.get(node);
            assertEquals(node, s.path("container_name").asText(), node + " container name");
            assertEquals(node, s.path("hostname").asText(), node + " host name");
            assertFalse(s.path("restart").asText().isEmpty(), node + " has a restart policy");
        }
    }

    @Test
    void eachNodeOffersTheSeedPortsOverUdp() {
        for (String node : NODES) {
            JsonNode s = services.get(node);
            Set<String> ports = new LinkedHashSet<>();
            s.path("expose").forEach(p -> ports.add(p.asText()));
            for (JsonNode p : s.path("ports")) {
                // short syntax "host:container/proto" or long syntax {target, protocol}
                ports.add(p.isTextual() ? p.asText().substring(p.asText().lastIndexOf(':') + 1)
                        : p.path("target").asText() + "/" + p.path("protocol").asText("tcp"));
            }
            assertTrue(ports.containsAll(SEED_PORTS), node + " exposes " + ports + ", not all of " + SEED_PORTS);
        }
    }

    @Test
    void eachNodeIsAConfigurationRaftdAccepts() {
        Map<String, String> volumeMounts = new LinkedHashMap<>();
        for (String node : NODES) {
            JsonNode s = services.get(node);
            NodeConfig config;
            try {
                config = RaftdConfigs.parse(words(s.path("command")), environment(s.path("environment")));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError(node + ": raftd would refuse this configuration: " + e.getMessage(), e);
            }
            assertEquals(node, config.name());
            assertEquals(NODES, config.cluster().names(), node + ": the cluster");
            assertEquals(Ports.SEED, config.cluster().ports(), node + ": the seed's ports");
            assertEquals(Timings.SEED, config.timings(), node + ": the seed's heartbeat and election timeouts");
            assertEquals(node, config.bindHost(), node + " binds to its own container address");
            // the data directory must be on the node's named volume, or a new container forgets its term and vote
            String mount = mountContaining(s, config.dataDir());
            assertNotNull(mount, node + ": data dir " + config.dataDir() + " is on no volume of " + s.path("volumes"));
            assertTrue(compose.path("volumes").has(mount), "volume " + mount + " is declared");
            String other = volumeMounts.put(mount, node);
            assertEquals(null, other, mount + " is shared by " + other + " and " + node);
        }
    }

    @Test
    void raftClusterNamesExactlyTheFiveServices() {
        List<String> users = new ArrayList<>(NODES);
        users.add("raftctl");
        for (String service : users) {
            String spec = environment(services.get(service).path("environment")).get("RAFT_CLUSTER");
            assertNotNull(spec, service + " sets RAFT_CLUSTER");
            ClusterSpec cluster = ClusterSpec.parse(spec, Ports.SEED);
            assertEquals(NODES, cluster.names(), service);
            for (NodeAddress n : cluster.nodes()) {
                assertEquals(n.name(), n.host(), service + ": each node is reached by its service name");
            }
        }
    }

    @Test
    void raftctlRunsOnTheSameImageAsAShell() {
        JsonNode r = services.get("raftctl");
        assertEquals("raftctl", words(r.path("entrypoint")).get(0));
        assertEquals(services.get("Node1").path("image").asText(), r.path("image").asText(), "one image for both");
        boolean interactive = r.path("stdin_open").asBoolean() && r.path("tty").asBoolean();
        assertTrue(interactive, "stdin_open and tty, for the shell");
        assertTrue(words(r.path("profiles")).contains("tools"), "only with --profile tools or docker compose run");
    }

    @Test
    void healthchecksAskTheNodeItselfWithoutAJvm() {
        for (String node : NODES) {
            List<String> test = words(services.get(node).path("healthcheck").path("test"));
            assertEquals(List.of("CMD", "bash", "-c"), test.subList(0, 3), node + " healthcheck " + test);
            assertEquals(List.of("health", node), test.subList(4, test.size()), node + ": the probe's $0 and $1");
            assertEquals(probe("Node1"), test.get(3).replace("$$", "$"), node + ": the same probe as Node1's");
        }
        String script = probe("Node1");
        assertTrue(script.contains("/dev/udp/\"$1\"/5555"), "the node's own controller port: " + script);
        assertTrue(script.contains("exec raftctl --timeout-ms 1000 health --node \"$1\""),
                "with a cluster key, raftctl (which signs) checks: " + script);
    }

    /**
     * The health check's probe, run for real (bash, no Docker) against a UDP responder standing in
     * for a node's controller port on 127.0.0.197:5555, an address no other test uses: alive
     * when the node answers the STATUS datagram, not when nothing listens; with a cluster key it
     * hands over to raftctl health --node.
     */
    @Test
    @Timeout(30)
    void theHealthProbeAsksStatusAndWaitsForTheAnswer(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash here");
        String script = probe("Node1");
        String host = "127.0.0.197";
        try (DatagramSocket node = new DatagramSocket(new InetSocketAddress(host, 5555))) {
            node.setSoTimeout(10_000);
            Process p = new ProcessBuilder("bash", "-c", script, "health", host).redirectErrorStream(true).start();
            DatagramPacket request = new DatagramPacket(new byte[2048], 2048);
            node.receive(request);
            String asked = new String(request.getData(), 0, request.getLength(), StandardCharsets.UTF_8);
            assertEquals("STATUS", Codec.decodeController(request.getData(), 0, request.getLength()).request(), asked);
            byte[] reply = "{\"sender_name\":\"Node1\",\"request\":\"STATUS\",\"term\":1}".getBytes(StandardCharsets.UTF_8);
            node.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the probe ends once answered");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        // nothing listens there now: refused (or no answer within 2 s), unhealthy
        Process down = new ProcessBuilder("bash", "-c", script, "health", host).redirectErrorStream(true).start();
        assertTrue(down.waitFor(10, TimeUnit.SECONDS), "the probe gives up within its 2 s");
        assertNotEquals(0, down.exitValue(), "a node that does not answer is not alive");
        // with a cluster key: raftctl's own check (a stand-in on the PATH records how it is called)
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path raftctl = bin.resolve("raftctl");
        Files.writeString(raftctl, "#!/bin/bash\necho \"$@\" >" + tmp.resolve("args") + "\n");
        raftctl.toFile().setExecutable(true);
        ProcessBuilder keyed = new ProcessBuilder("bash", "-c", script, "health", "Node1").redirectErrorStream(true);
        keyed.environment().put("RAFT_CLUSTER_KEY_FILE", "/etc/raftd/cluster.key");
        keyed.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process k = keyed.start();
        assertTrue(k.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, k.exitValue());
        assertEquals("--timeout-ms 1000 health --node Node1", Files.readString(tmp.resolve("args")).strip());
    }

    /** The health check's bash script as compose hands it to the container ($$ is compose's literal $). */
    private static String probe(String node) {
        return words(services.get(node).path("healthcheck").path("test")).get(3).replace("$$", "$");
    }

    @Test
    void everyPathTheComposeFileNamesExists() {
        for (String service : List.of("Node1", "Node2", "Node3", "Node4", "Node5", "raftctl")) {
            JsonNode build = services.get(service).path("build");
            assertTrue(build.isObject(), service + " says how its image is built");
            Path context = composeDir.resolve(build.path("context").asText()).normalize();
            assertTrue(Files.isDirectory(context), service + ": build context " + context);
            Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
            assertTrue(Files.isRegularFile(dockerfile), service + ": " + dockerfile);
            for (JsonNode v : services.get(service).path("volumes")) {
                String source = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(composeDir.resolve(source)), service + ": bind mount " + source);
                }
            }
        }
    }

    @Test
    void dockerfileCopiesWhatExistsAndRunsTheLauncher() throws IOException {
        JsonNode build = services.get("Node1").path("build");
        Path context = composeDir.resolve(build.path("context").asText()).normalize();
        Path file = context.resolve(build.path("dockerfile").asText());
        DockerfileInstructions df = DockerfileInstructions.parse(Files.readString(file, StandardCharsets.UTF_8));

        Map<String, String> args = buildArgs(df);
        Set<String> stages = new HashSet<>();
        for (Instruction from : df.named("FROM")) {
            String image = from.words().get(0);
            Matcher arg = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
            if (arg.matches()) {
                image = args.get(arg.group(1));
                assertNotNull(image, "line " + from.line() + ": " + arg.group() + " has a default");
            }
            if (from.words().size() == 3 && from.words().get(1).equalsIgnoreCase("AS")) {
                stages.add(from.words().get(2));
            }
            if (stages.contains(image) || image.equals("scratch")) {
                continue; // an earlier stage, or the empty image: nothing to pull
            }
            assertTrue(image.contains(":") && !image.endsWith(":latest"), "line " + from.line() + ": pin a tag: " + image);
        }
        for (String keyword : List.of("COPY", "ADD")) {
            for (Instruction copy : df.named(keyword)) {
                List<String> words = copy.words();
                if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                    continue; // from an earlier stage, not from the context
                }
                List<String> sources = words.subList(0, words.size() - 1).stream().filter(w -> !w.startsWith("--")).toList();
                assertFalse(sources.isEmpty(), "line " + copy.line());
                for (String source : sources) {
                    assertTrue(Files.exists(context.resolve(source)),
                            "line " + copy.line() + ": " + source + " not in the context " + context);
                }
            }
        }
        String runs = df.named("RUN").stream().map(Instruction::rest).collect(Collectors.joining("\n"));
        assertTrue(runs.contains("mvn ") && runs.contains(" package"), "the build stage runs the project's build");
        // the JVM build writes the launchers from this template (raftd/target/raftd, raftctl/target/raftctl)
        assertTrue(Files.isRegularFile(context.resolve("packaging/launcher/launcher.sh")));
        for (String tool : List.of("raftd", "raftctl")) {
            assertTrue(runs.contains("cp -r " + tool + "/target/" + tool + " "), tool + "'s launcher goes into the image");
            assertTrue(runs.contains("ln -s /opt/raftledger/" + tool + "/" + tool + " /usr/local/bin/" + tool),
                    tool + " is on the PATH");
        }
        // the programs come from the build stage by default, from packaging/compose/prebuilt with DIST=prebuilt
        assertEquals("build", args.get("DIST"));
        assertTrue(df.named("FROM").stream().anyMatch(f -> f.rest().equals("${DIST} AS dist")));
        assertTrue(df.named("COPY").stream().anyMatch(c -> c.rest().equals("--from=dist /dist /opt/raftledger")));
        List<Instruction> entrypoint = df.named("ENTRYPOINT");
        assertEquals(1, entrypoint.size());
        assertEquals("[\"raftd\"]", entrypoint.get(0).rest(), "exec form, so raftd is PID 1 and gets SIGTERM");
        Set<String> exposed = df.named("EXPOSE").stream().flatMap(e -> e.words().stream()).collect(Collectors.toSet());
        assertEquals(SEED_PORTS, exposed);
    }

    /** The build stage's Maven build has every file it reads (issue 11: README.md and docs/ were missing). */
    @Test
    void theBuildStageHasWhatItsMavenBuildReads() throws IOException {
        DockerfileInstructions df = dockerfile();
        Path root = composeDir.resolve("../..").normalize();
        List<Instruction> build = stage(df, 0);
        String mvn = build.stream().filter(i -> i.keyword().equals("RUN") && i.rest().contains("mvn "))
                .map(Instruction::rest).findFirst().orElseThrow();
        Set<String> copied = build.stream().filter(i -> i.keyword().equals("COPY"))
                .map(i -> i.words().get(0).replaceAll("/$", "")).collect(Collectors.toSet());
        for (String module : List.of("common", "raftd", "raftctl", "packaging")) {
            assertTrue(copied.contains(module), module + "/: Maven reads every module's pom");
        }
        Matcher pl = Pattern.compile("-pl\\s+(\\S+)").matcher(mvn);
        boolean buildsPackaging = !pl.find() || List.of(pl.group(1).split(",")).contains("packaging");
        if (buildsPackaging) {
            // the assembly (tar.gz) reads files outside the modules
            Matcher read = Pattern.compile("\\$\\{project\\.basedir}/\\.\\./([^/<]+)")
                    .matcher(Files.readString(root.resolve("packaging/src/assembly/dist.xml")));
            while (read.find()) {
                assertTrue(copied.contains(read.group(1)), "the assembly reads " + read.group(1) + ", not copied: " + mvn);
            }
        }
        // the context leaves out host build output, for the classic builder too (docker-compose 1.29.2)
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(ignored.containsAll(List.of(".git", "**/target")), ".dockerignore: " + ignored);
        assertFalse(Files.exists(composeDir.resolve("Dockerfile.dockerignore")),
                "one ignore file: BuildKit would read this one instead of .dockerignore");
    }

    /**
     * The CDS archive is made in the runtime stage at the path the installed launcher maps
     * (issue 11: one made in the build stage named /src/... and was refused), and checked there.
     */
    @Test
    void theCdsArchiveIsMadeWhereTheImageRunsIt() throws IOException {
        DockerfileInstructions df = dockerfile();
        String buildRuns = stage(df, 0).stream().filter(i -> i.keyword().equals("RUN"))
                .map(Instruction::rest).collect(Collectors.joining("\n"));
        assertFalse(buildRuns.contains(".jsa"), "no archive from the build stage: " + buildRuns);
        String runtimeRuns = stage(df, df.named("FROM").size() - 1).stream().filter(i -> i.keyword().equals("RUN"))
                .map(Instruction::rest).collect(Collectors.joining("\n"));
        // launcher.sh maps $here/NAME.jsa, $here being the folder of the launcher the PATH links to
        assertTrue(Files.readString(composeDir.resolve("../launcher/launcher.sh")).contains("\"$here/@launcher.name@.jsa\""));
        Matcher link = Pattern.compile("ln -s (\\S+)/raftd /usr/local/bin/raftd").matcher(runtimeRuns);
        assertTrue(link.find(), runtimeRuns);
        String archive = link.group(1) + "/raftd.jsa";
        assertTrue(runtimeRuns.contains("-XX:DumpLoadedClassList=") && runtimeRuns.contains("raftd --cds-training"),
                "a training run lists the classes: " + runtimeRuns);
        assertTrue(runtimeRuns.contains("-Xshare:dump") && runtimeRuns.contains("-XX:SharedArchiveFile=" + archive),
                "a static archive " + archive + " is dumped from them: " + runtimeRuns);
        assertTrue(runtimeRuns.contains("RAFT_JAVA_OPTS=\"-Xshare:on\" raftd "), "the build fails if the JVM cannot map it");
    }

    @Test
    void composeV1AcceptsTheFileAndTheProjectIsNamed() throws IOException {
        assertFalse(compose.has("name"), "docker-compose 1.29.2 refuses a top-level name");
        assertFalse(compose.has("version") && !compose.path("version").asText().startsWith("3"), "v1 needs 3.x or none");
        List<String> env = Files.readAllLines(composeDir.resolve(".env"));
        assertTrue(env.contains("COMPOSE_PROJECT_NAME=raftledger"), ".env: " + env);
    }

    /** A node stopped on purpose (exit 0) stays down, whatever raftctl is run next. */
    @Test
    void aNodeStoppedOnPurposeStaysDown() {
        for (String node : NODES) {
            assertEquals("on-failure", services.get(node).path("restart").asText(),
                    node + ": always or unless-stopped would bring back a node raftctl kill stopped");
        }
        JsonNode raftctl = services.get("raftctl");
        assertTrue(raftctl.path("depends_on").isMissingNode() && raftctl.path("links").isMissingNode(),
                "compose run starts what raftctl depends on, a node stopped on purpose included");
    }

    private DockerfileInstructions dockerfile() throws IOException {
        JsonNode build = services.get("Node1").path("build");
        Path file = composeDir.resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText()).normalize();
        return DockerfileInstructions.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The instructions of stage {@code n} (0: the first FROM and what follows it up to the next). */
    private static List<Instruction> stage(DockerfileInstructions df, int n) {
        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        for (Instruction i : df.all()) {
            if (i.keyword().equals("FROM")) {
                stage++;
            } else if (stage == n) {
                out.add(i);
            }
        }
        return out;
    }

    /** Build arguments declared before the first FROM, with their defaults. */
    private static Map<String, String> buildArgs(DockerfileInstructions df) {
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction i : df.all()) {
            if (i.keyword().equals("FROM")) {
                break;
            }
            if (i.keyword().equals("ARG")) {
                String[] kv = i.rest().split("=", 2);
                args.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        return args;
    }

    /** Only where the docker client has the compose plugin; this machine's does not. */
    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Assumptions.assumeTrue(run(List.of("docker", "compose", "version")) == 0,
                "skipped: no 'docker compose' here (the docker client lacks the compose plugin); the other tests check the file");
        assertEquals(0, run(List.of("docker", "compose", "-f", composeFile.toString(), "--profile", "tools", "config", "-q")),
                "docker compose config -q");
    }

    /**
     * Only where Compose v1 is installed (Debian 12's docker-compose 1.29.2, which needs no
     * engine for this): it refused the top-level name: the file had (issue 11).
     */
    @Test
    void dockerComposeV1AcceptsTheFile() throws Exception {
        Assumptions.assumeTrue(run(List.of("docker-compose", "version")) == 0,
                "skipped: no docker-compose (Compose v1) here; composeV1AcceptsTheFileAndTheProjectIsNamed checks the file");
        assertEquals(0, run(List.of("docker-compose", "-f", composeFile.toString(), "--profile", "tools", "config", "-q")),
                "docker-compose config -q");
    }

    /** Exit status of a short command, or -1 if it cannot start or takes longer than 30 s. */
    private static int run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A list node, or a string split on white space (compose accepts both for command and entrypoint). */
    private static List<String> words(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.addAll(List.of(node.asText().trim().split("\\s+")));
        }
        return out;
    }

    /** A mapping, or a list of NAME=value (compose accepts both). */
    private static Map<String, String> environment(JsonNode node) {
        Map<String, String> env = new LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        } else {
            for (JsonNode n : node) {
                String s = n.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** The named volume whose mount point holds {@code dir}, or null. */
    private static String mountContaining(JsonNode service, Path dir) {
        for (JsonNode v : service.path("volumes")) {
            String source = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
            String target = v.isTextual() ? v.asText().split(":")[1] : v.path("target").asText();
            if (dir.normalize().startsWith(Path.of(target)) && !source.startsWith(".") && !source.startsWith("/")) {
                return source;
            }
        }
        return null;
    }
}

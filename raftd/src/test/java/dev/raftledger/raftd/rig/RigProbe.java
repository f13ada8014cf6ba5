package dev.raftledger.raftd.rig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.raftledger.common.client.Answer;
import dev.raftledger.common.client.ControllerClient;
import dev.raftledger.common.cluster.ClusterSpec;
import dev.raftledger.common.cluster.Ports;
import dev.raftledger.common.wire.Codec;
import dev.raftledger.common.wire.ControllerMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test's eyes inside the rig: a small program run in the clients' namespace (the test JVM
 * stays in the root namespace, which has no route to the rig). It reads one request a line on
 * stdin, {@code {"nodes": ["Node1", ...], "timeout_ms": 300, "attempts": 1, "msg": "<controller
 * request JSON>"}}, asks those nodes at once and writes one line on stdout, {@code {"Node1":
 * {"reply": "<reply JSON>"}, "Node2": {"error": "no reply within 300 ms"}}}. It exits at the end
 * of stdin. Single-threaded; a request it cannot read is answered {@code {"bad": "why"}}.
 */
public final class RigProbe {

    private RigProbe() {}

    public static void main(String[] args) throws IOException {
        ClusterSpec cluster = ClusterSpec.parse(args[0], Ports.SEED);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            ObjectNode answer = Codec.objectNode();
            try {
                JsonNode req = Codec.readTree(line);
                List<String> names = new ArrayList<>();
                req.get("nodes").forEach(n -> names.add(n.asText()));
                StringBuilder members = new StringBuilder();
                for (String n : names) {
                    members.append(members.length() == 0 ? "" : ",").append(n).append('=')
                            .append(cluster.node(n).orElseThrow().host());
                }
                byte[] msg = req.get("msg").asText().getBytes(StandardCharsets.UTF_8);
                ControllerMessage request = Codec.decodeController(msg, 0, msg.length);
                ControllerClient rpc = new ControllerClient(Duration.ofMillis(req.get("timeout_ms").asLong()),
                        req.get("attempts").asInt());
                for (Map.Entry<String, Answer> a : rpc.askAll(ClusterSpec.parse(members.toString(), cluster.ports()),
                        request).entrySet()) {
                    ObjectNode one = answer.putObject(a.getKey());
                    if (a.getValue().answered()) {
                        one.put("reply", new String(Codec.encode(a.getValue().reply()), StandardCharsets.UTF_8));
                    } else {
                        one.put("error", a.getValue().error());
                    }
                }
            } catch (Exception e) {
                answer.removeAll();
                answer.put("bad", String.valueOf(e));
            }
            out.println(Codec.toJson(answer));
            out.flush();
        }
    }
}

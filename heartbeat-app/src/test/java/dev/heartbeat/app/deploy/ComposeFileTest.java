package dev.heartbeat.app.deploy;

import dev.heartbeat.app.MainAccess;
import dev.heartbeat.app.options.EnvironmentDefaults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Static checks of docker-compose.yml (no Docker engine runs here): every service of the production
 * shape is there, every image is pinned, the brokers replicate (RF 3, min ISR 2, no auto-create),
 * every environment variable a Heartbeat service gets is one the app reads, every service has a
 * healthcheck, dependencies wait for health, and .env.example names every required secret.
 */
class ComposeFileTest {

    static final Path ROOT = Path.of("..");
    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws Exception {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        compose = new Yaml(options).load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(String service) {
        Object env = services.get(service).get("environment");
        if (env == null) {
            return Map.of();
        }
        Map<String, String> result = new TreeMap<>();
        ((Map<String, Object>) env).forEach((key, value) -> result.put(key, String.valueOf(value)));
        return result;
    }

    /** Every environment variable the app reads: one per option of every command, and its _FILE twin. */
    static Set<String> variablesTheAppReads() {
        CommandLine root = MainAccess.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Set<String> names = new TreeSet<>();
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            CommandLine command = todo.pop();
            for (OptionSpec option : command.getCommandSpec().options()) {
                String variable = EnvironmentDefaults.variableOf(option.longestName());
                names.add(variable);
                names.add(variable + "_FILE");
            }
            todo.addAll(command.getSubcommands().values());
        }
        names.add("HEARTBEAT_HEALTH_PORT"); // read by the image's healthcheck (Dockerfile), not by the app
        return names;
    }

    @Test
    void everyServiceOfTheProductionShapeIsThere() {
        assertEquals(Set.of("kafka1", "kafka2", "kafka3", "postgres", "db-setup", "producer", "consumer", "web", "kafka-ui",
                "pgadmin", "prometheus", "alertmanager", "grafana"), services.keySet());
    }

    @Test
    void noDoorIsOpenBeyondTheHost() {
        services.forEach((name, service) -> {
            Object ports = service.get("ports");
            if (ports != null) {
                for (Object port : (List<?>) ports) {
                    assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), name + " publishes beyond the host: " + port);
                }
            }
        });
        assertEquals("true", environment("kafka-ui").get("KAFKA_CLUSTERS_0_READONLY"), "Kafka UI can delete the topic otherwise");
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        Pattern pinned = Pattern.compile("[a-z0-9./-]+:[vV]?[0-9][A-Za-z0-9._-]*");
        services.forEach((name, service) -> {
            String image = String.valueOf(service.get("image"));
            assertTrue(pinned.matcher(image).matches() && !image.endsWith(":latest"),
                    name + " uses an unpinned image: " + image);
        });
    }

    @Test
    void theBrokersReplicateEveryPartitionThreeTimesWithTwoInSync() {
        Set<String> nodeIds = new HashSet<>();
        for (String broker : List.of("kafka1", "kafka2", "kafka3")) {
            Map<String, String> env = environment(broker);
            assertTrue(String.valueOf(services.get(broker).get("image")).startsWith("apache/kafka:"), broker);
            assertEquals("3", env.get("KAFKA_DEFAULT_REPLICATION_FACTOR"), broker);
            assertEquals("2", env.get("KAFKA_MIN_INSYNC_REPLICAS"), broker);
            assertEquals("3", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), broker);
            assertEquals("3", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"), broker);
            assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"), broker);
            assertEquals("false", env.get("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"), broker);
            assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), broker + " runs KRaft (no ZooKeeper)");
            assertEquals(3, env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",").length, broker);
            nodeIds.add(env.get("KAFKA_NODE_ID"));
        }
        assertEquals(Set.of("1", "2", "3"), nodeIds);
    }

    @Test
    void postgresRunsWithoutJit() {
        // the official image has LLVM: JIT would compile the dashboard's and Grafana's short queries for
        // longer than they run (customer_stats: 820 ms with it, 51 ms without, measured on PostgreSQL 15)
        assertEquals(List.of("postgres", "-c", "jit=off"), services.get("postgres").get("command"));
    }

    @Test
    void theHeartbeatServicesCreateTheTopicWithReplicationAndReadOnlyVariablesTheAppKnows() {
        Set<String> known = variablesTheAppReads();
        for (String service : List.of("db-setup", "producer", "consumer", "web")) {
            for (String variable : environment(service).keySet()) {
                assertTrue(known.contains(variable), service + " sets " + variable + ", which the app does not read");
            }
        }
        for (String service : List.of("producer", "consumer", "web")) {
            Map<String, String> env = environment(service);
            assertEquals("3", env.get("HEARTBEAT_KAFKA_REPLICATION_FACTOR"), service);
            assertEquals("2", env.get("HEARTBEAT_KAFKA_MIN_INSYNC_REPLICAS"), service);
            assertEquals("3", env.get("HEARTBEAT_KAFKA_PARTITIONS"), service);
            assertTrue(env.containsKey("HEARTBEAT_KAFKA_BOOTSTRAP"), service + " lacks HEARTBEAT_KAFKA_BOOTSTRAP");
        }
        assertFalse(services.get("consumer").containsKey("container_name"), "a fixed name would stop --scale consumer=N");
        assertFalse(services.get("consumer").containsKey("ports"), "a fixed host port would stop --scale consumer=N");
    }

    /** Least privilege: only the one-shot setup connects as the superuser; each service as its own role. */
    @Test
    void noServiceConnectsToPostgresAsARoleItDoesNotNeed() throws Exception {
        assertEquals("${POSTGRES_USER:-heartbeat}", environment("db-setup").get("HEARTBEAT_DB_USER"));
        assertEquals(List.of("setup-database"), services.get("db-setup").get("command"));
        assertEquals("heartbeat_ingest", environment("consumer").get("HEARTBEAT_DB_USER"));
        assertEquals("heartbeat_dashboard", environment("web").get("HEARTBEAT_DB_USER"));
        assertEquals("heartbeat_reporting", environment("grafana").get("HEARTBEAT_DB_USER"));
        assertTrue(Files.readString(ROOT.resolve("deploy/pgadmin/servers.json")).contains("\"Username\": \"heartbeat_reporting\""));
        assertFalse(environment("producer").containsKey("HEARTBEAT_JDBC_URL"), "the producer needs no database");
        services.forEach((name, service) -> {
            if (!name.equals("db-setup") && !name.equals("postgres")) {
                environment(name).forEach((variable, value) -> assertFalse(value.contains("POSTGRES_PASSWORD"),
                        name + " gets the superuser's password in " + variable));
            }
        });
        for (String service : List.of("consumer", "web", "grafana")) {
            assertTrue(dependsOn(service).containsKey("db-setup"), service + " starts before the roles exist");
        }
        // the shared read-only token, from a secret file both the dashboard and Prometheus read
        assertEquals("/run/secrets/heartbeat_web_token", environment("web").get("HEARTBEAT_WEB_TOKEN_FILE"));
        assertEquals(List.of("heartbeat_web_token"), services.get("prometheus").get("secrets"));
        assertTrue(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"))
                .contains("credentials_file: /run/secrets/heartbeat_web_token"));
        assertTrue(Files.readString(ROOT.resolve(".gitignore")).contains("secrets/"));
        assertTrue(Files.readString(ROOT.resolve(".dockerignore")).contains("secrets/"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, String>> dependsOn(String service) {
        Object dependsOn = services.get(service).get("depends_on");
        return dependsOn == null ? Map.of() : (Map<String, Map<String, String>>) dependsOn;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthcheckAndWaitsForHealthyDependencies() {
        services.forEach((name, service) -> {
            if ("no".equals(service.get("restart"))) {
                return; // a one-shot job: the services after it wait for it to complete (below)
            }
            Object health = service.get("healthcheck");
            assertTrue(health instanceof Map<?, ?> check && check.get("test") != null, name + " has no healthcheck");
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                if (!(dependsOn instanceof Map<?, ?>)) {
                    fail(name + ": depends_on must name a condition for each dependency");
                }
                ((Map<String, Map<String, String>>) dependsOn).forEach((dependency, condition) -> {
                    assertTrue(services.containsKey(dependency), name + " depends on unknown " + dependency);
                    assertEquals("no".equals(services.get(dependency).get("restart")) ? "service_completed_successfully"
                            : "service_healthy", condition.get("condition"), name + " -> " + dependency);
                });
            }
        });
    }

    @Test
    void dotEnvExampleNamesEveryRequiredVariableAndNoRealSecret() throws Exception {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        Set<String> example = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.add(line.substring(0, line.indexOf('=')));
                String value = line.substring(line.indexOf('=') + 1);
                if (line.contains("PASSWORD")) {
                    assertTrue(value.startsWith("change-me"), "a real-looking secret in .env.example: " + line);
                }
            }
        }
        Matcher references = Pattern.compile("\\$\\{([A-Z0-9_]+)(:[-?])").matcher(text);
        while (references.find()) {
            assertTrue(example.contains(references.group(1)), ".env.example lacks " + references.group(1));
        }
        assertTrue(Files.exists(ROOT.resolve(".gitignore")));
        assertTrue(Files.readString(ROOT.resolve(".dockerignore")).contains(".env"));
    }

    @Test
    void prometheusScrapesEveryConsumerOnItsProbePort() throws Exception {
        String prometheus = Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        assertTrue(prometheus.contains("names: [consumer]"), prometheus);
        assertTrue(prometheus.contains("port: " + environment("consumer").get("HEARTBEAT_PROBE_PORT")), prometheus);
    }

    @Test
    void theConsumersHandTheirAlertsToTheComposeAlertmanagerAndPrometheusItsRules() throws Exception {
        assertEquals("http://alertmanager:9093", environment("consumer").get("HEARTBEAT_ALERTMANAGER_URL"));
        String prometheus = Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        assertTrue(prometheus.contains("rules.yml") && prometheus.contains("alertmanager:9093"), prometheus);
        assertTrue(String.valueOf(services.get("prometheus").get("volumes")).contains("./deploy/prometheus/rules.yml:"),
                "the rules are mounted next to prometheus.yml");
        assertTrue(String.valueOf(services.get("alertmanager").get("volumes"))
                .contains("./deploy/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml"));
    }

    /** Compose's own validation, when the {@code docker-compose} package is installed (.ci/run installs it). */
    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        boolean installed = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose")));
        assumeTrue(installed, "docker-compose is not installed: `apt-get install docker-compose` to run this check");
        Process check = new ProcessBuilder("docker-compose", "--env-file", ".env.example", "-f", "docker-compose.yml", "config", "-q")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "docker-compose config hung");
        assertEquals(0, check.exitValue(), "docker-compose config rejects the file:\n" + output);
    }
}

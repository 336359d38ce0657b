package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrchestratorConfigTest {

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("tasker.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaults_apply_without_a_file_or_environment() {
    OrchestratorConfig config = OrchestratorConfig.load(null, Map.of());

    assertThat(config.endpoints()).containsExactly("tcp://127.0.0.1:5555");
    assertThat(config.batchSize()).isEqualTo(OrchestratorConfig.DEFAULT_BATCH_SIZE);
    assertThat(config.heartbeatIntervalMs() * config.heartbeatLiveness()).isLessThanOrEqualTo(5000);
  }

  @Test
  void the_file_sets_values_and_the_environment_overrides_them() throws IOException {
    Path file = yaml("endpoints: [tcp://0.0.0.0:6000, inproc://tasker]\nallow_insecure: true\nbatch_size: 20\npool_size: 6\n");

    OrchestratorConfig config =
        OrchestratorConfig.load(file, Map.of("TASKER_BATCH_SIZE", "7", "TASKER_HEARTBEAT_INTERVAL_MS", "250"));

    assertThat(config.endpoints()).containsExactly("tcp://0.0.0.0:6000", "inproc://tasker");
    assertThat(config.batchSize()).isEqualTo(7);
    assertThat(config.poolSize()).isEqualTo(6);
    assertThat(config.heartbeatIntervalMs()).isEqualTo(250);
  }

  @Test
  void advertised_endpoints_are_tcp_endpoints_and_default_to_none() {
    assertThat(OrchestratorConfig.load(null, Map.of()).advertisedEndpoints()).isEmpty();
    assertThat(OrchestratorConfig.load(null, Map.of("TASKER_ADVERTISED_ENDPOINTS", "tcp://orch-a:5555, tcp://10.0.0.5:5555"))
        .advertisedEndpoints()).containsExactly("tcp://orch-a:5555", "tcp://10.0.0.5:5555");
    assertThatThrownBy(() -> OrchestratorConfig.load(null, Map.of("TASKER_ADVERTISED_ENDPOINTS", "inproc://tasker")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("advertised_endpoints: 'inproc://tasker' must be a tcp://host:port endpoint");
  }

  @Test
  void endpoints_from_the_environment_are_comma_separated() {
    OrchestratorConfig config = OrchestratorConfig.load(
        null, Map.of("TASKER_ENDPOINTS", "tcp://127.0.0.1:1, tcp://localhost:2"));

    assertThat(config.endpoints()).containsExactly("tcp://127.0.0.1:1", "tcp://localhost:2");
  }

  @Test
  void an_endpoint_other_hosts_can_reach_is_refused_unless_allow_insecure_is_set() {
    for (String endpoint : List.of("tcp://0.0.0.0:5555", "tcp://*:5555", "tcp://192.168.1.10:5555",
        "tcp://eth0:5555", "tcp://orchestrator.example:5555", "tcp://[::]:5555", "tcp://169.254.0.1:5555")) {
      assertThatThrownBy(() -> OrchestratorConfig.load(null, Map.of("TASKER_ENDPOINTS", endpoint)))
          .as(endpoint)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("endpoints: '" + endpoint + "' can be reached from other hosts")
          .hasMessageContaining("configure CURVE (curve_secret_key_file and curve_authorized_keys_file")
          .hasMessageContaining("allow_insecure: true");

      OrchestratorConfig allowed = OrchestratorConfig.load(
          null, Map.of("TASKER_ENDPOINTS", endpoint, "TASKER_ALLOW_INSECURE", "true"));
      assertThat(allowed.allowInsecure()).isTrue();
      assertThat(allowed.endpoints()).containsExactly(endpoint);
    }
  }

  @Test
  void loopback_and_inproc_endpoints_need_no_allow_insecure() {
    for (String endpoint : List.of("tcp://127.0.0.1:5555", "tcp://127.3.2.1:0", "tcp://localhost:5555",
        "tcp://[::1]:5555", "inproc://tasker")) {
      OrchestratorConfig config = OrchestratorConfig.load(null, Map.of("TASKER_ENDPOINTS", endpoint));

      assertThat(OrchestratorConfig.isLocal(endpoint)).as(endpoint).isTrue();
      assertThat(config.allowInsecure()).isFalse();
    }
  }

  @Test
  void allow_insecure_must_be_true_or_false() {
    assertThatThrownBy(() -> OrchestratorConfig.load(null, Map.of("TASKER_ALLOW_INSECURE", "yes")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("allow_insecure must be true or false but was 'yes'");
  }

  @Test
  void an_unknown_key_is_refused_naming_it() throws IOException {
    Path file = yaml("batchsize: 20\n");

    assertThatThrownBy(() -> OrchestratorConfig.load(file, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown setting 'batchsize'");
  }

  @Test
  void a_value_that_is_not_a_number_is_refused_naming_the_key() {
    assertThatThrownBy(() -> OrchestratorConfig.load(null, Map.of("TASKER_BATCH_SIZE", "lots")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("batch_size must be a whole number but was 'lots'");
  }

  @Test
  void out_of_range_values_name_the_key_and_the_constraint() {
    assertThatThrownBy(() -> OrchestratorConfig.builder().heartbeatIntervalMs(0).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("heartbeat_interval_ms must be >= 1 but was 0");
    assertThatThrownBy(() -> OrchestratorConfig.builder().poolSize(2).build())
        .hasMessage("pool_size must be >= 4 but was 2");
    assertThatThrownBy(() -> OrchestratorConfig.builder().endpoints("ipc:///tmp/x").build())
        .hasMessageContaining("must start with tcp:// or inproc://");
    assertThatThrownBy(() -> OrchestratorConfig.builder().appliers(0).build())
        .hasMessage("appliers must be from 1 to 16 but was 0");
    assertThatThrownBy(() -> OrchestratorConfig.builder().appliers(17).build())
        .hasMessage("appliers must be from 1 to 16 but was 17");
    assertThatThrownBy(() -> OrchestratorConfig.builder().appliers(4).poolSize(6).build())
        .hasMessageContaining("pool_size must be at least appliers + 3 (7");
  }

  @Test
  void retention_defaults_to_30_days_0_keeps_everything_and_out_of_range_is_refused() {
    assertThat(OrchestratorConfig.builder().build().retentionDays()).isEqualTo(30);
    assertThat(OrchestratorConfig.load(null, Map.of("TASKER_RETENTION_DAYS", "0")).retentionDays()).isZero();
    assertThatThrownBy(() -> OrchestratorConfig.builder().retentionDays(-1).build())
        .hasMessage("retention_days must be from 0 (keep everything) to 36500 but was -1");
    assertThatThrownBy(() -> OrchestratorConfig.load(null, Map.of("TASKER_RETENTION_DAYS", "a week")))
        .hasMessage("retention_days must be a whole number but was 'a week'");
  }

  @Test
  void appliers_default_to_one_and_come_from_the_environment() {
    assertThat(OrchestratorConfig.builder().build().appliers()).isEqualTo(OrchestratorConfig.DEFAULT_APPLIERS).isEqualTo(1);
    assertThat(OrchestratorConfig.load(null, Map.of("TASKER_APPLIERS", "3")).appliers()).isEqualTo(3);
  }

  @Test
  void malformed_yaml_is_refused_naming_the_file() throws IOException {
    Path file = yaml("batch_size: [1\n");

    assertThatThrownBy(() -> OrchestratorConfig.load(file, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tasker.yaml: not valid YAML");
  }

  private Map<String, String> curveEnvironment(String endpoint) throws IOException {
    Path secret = Files.writeString(dir.resolve("orchestrator.key"), CurveKeys.generate().secretKey() + "\n");
    Path authorized = Files.writeString(dir.resolve("workers"), "# workers\n" + CurveKeys.generate().publicKey() + "\n");
    return Map.of("TASKER_ENDPOINTS", endpoint, "TASKER_CURVE_SECRET_KEY_FILE", secret.toString(),
        "TASKER_CURVE_AUTHORIZED_KEYS_FILE", authorized.toString());
  }

  @Test
  void with_curve_an_endpoint_other_hosts_can_reach_needs_no_allow_insecure() throws IOException {
    OrchestratorConfig config = OrchestratorConfig.load(null, curveEnvironment("tcp://0.0.0.0:5555"));

    assertThat(config.curve()).isTrue();
    assertThat(config.allowInsecure()).isFalse();
    assertThat(config.endpoints()).containsExactly("tcp://0.0.0.0:5555");
    assertThat(config.readAuthorizedKeys()).hasSize(1);
  }

  @Test
  void curve_settings_come_from_the_yaml_file_and_read_the_key_files() throws IOException {
    CurveKeyPair orchestrator = CurveKeys.generate();
    String worker = CurveKeys.generate().publicKey();
    Path secret = Files.writeString(dir.resolve("o.key"), orchestrator.secretKey() + "\n");
    Path authorized = Files.writeString(dir.resolve("authorized"), worker + "\n");
    Path file = yaml("curve_secret_key_file: " + secret + "\ncurve_authorized_keys_file: " + authorized + "\n");

    OrchestratorConfig config = OrchestratorConfig.load(file, Map.of());

    assertThat(config.readCurveSecretKey()).isEqualTo(orchestrator);
    assertThat(config.readAuthorizedKeys()).isEqualTo(Set.of(worker));
  }

  @Test
  void one_curve_setting_without_the_other_is_refused() throws IOException {
    Map<String, String> both = curveEnvironment("tcp://127.0.0.1:5555");

    assertThatThrownBy(() -> OrchestratorConfig.load(null, Map.of("TASKER_CURVE_SECRET_KEY_FILE",
        both.get("TASKER_CURVE_SECRET_KEY_FILE"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("curve_secret_key_file is set but curve_authorized_keys_file is not: CURVE needs both");
  }

  @Test
  void a_missing_or_malformed_key_file_is_refused_naming_the_setting_and_never_showing_a_key() throws IOException {
    Map<String, String> env = new java.util.HashMap<>(curveEnvironment("tcp://127.0.0.1:5555"));
    Path missing = dir.resolve("missing.key");
    env.put("TASKER_CURVE_SECRET_KEY_FILE", missing.toString());
    assertThatThrownBy(() -> OrchestratorConfig.load(null, env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("curve_secret_key_file: " + missing + " cannot be read (no such file)");

    // Cut at the end, from a key not starting with '#': a line starting with '#' is a comment, and
    // '#' is a Z85 character (cut at the start, this failed whenever the third character was '#').
    String cut;
    do {
      cut = CurveKeys.generate().publicKey().substring(0, 38);
    } while (cut.startsWith("#"));
    String shortKey = cut;
    Path authorized = Files.writeString(dir.resolve("bad"), "# ok\n" + shortKey + "\n");
    env.put("TASKER_CURVE_SECRET_KEY_FILE", dir.resolve("orchestrator.key").toString());
    env.put("TASKER_CURVE_AUTHORIZED_KEYS_FILE", authorized.toString());
    assertThatThrownBy(() -> OrchestratorConfig.load(null, env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("curve_authorized_keys_file: " + authorized + " line 2: the key must be 40 characters of Z85"
            + " but has 38")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(shortKey));
  }
}

package io.nassearch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nassearch.client.cli.DurationConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Settings come from the flag, then NAS_<COMMAND>_<OPTION>, then the --config file, then the
 * default.
 */
class ConfigDefaultsTest {

  private static CoordinatorCommand parse(Map<String, String> env, String... args) {
    CoordinatorCommand command = new CoordinatorCommand();
    CommandLine cli = new CommandLine(command);
    cli.setDefaultValueProvider(ConfigDefaults.fromArgs(args, env));
    cli.parseArgs(args);
    return command;
  }

  @Test
  void builtInDefaultWhenNothingElseIsSet() {
    assertEquals(7070, parse(Map.of()).port);
  }

  @Test
  void fileBeatsDefaultEnvBeatsFileFlagBeatsEnv(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nas.properties");
    Properties p = new Properties();
    p.setProperty("coordinator.port", "7001");
    p.setProperty("coordinator.max-concurrent-searches", "3");
    try (var w = Files.newBufferedWriter(file)) {
      p.store(w, null);
    }
    String config = file.toString();
    assertEquals(7001, parse(Map.of(), "--config", config).port);
    assertEquals(3, parse(Map.of(), "--config", config).maxConcurrentSearches);
    assertEquals(7002, parse(Map.of("NAS_COORDINATOR_PORT", "7002"), "--config", config).port);
    assertEquals(
        7003,
        parse(Map.of("NAS_COORDINATOR_PORT", "7002"), "--config", config, "--port", "7003").port);
    assertEquals(7001, parse(Map.of("NAS_CONFIG", config)).port, "NAS_CONFIG names the file too");
  }

  @Test
  void durationsAcceptUnitsAndIso() {
    DurationConverter c = new DurationConverter();
    assertEquals(java.time.Duration.ofMillis(250), c.convert("250ms"));
    assertEquals(java.time.Duration.ofSeconds(30), c.convert("30s"));
    assertEquals(java.time.Duration.ofMinutes(5), c.convert("5m"));
    assertEquals(java.time.Duration.ofSeconds(90), c.convert("PT90S"));
    assertEquals(
        java.time.Duration.ofSeconds(30), c.convert("30"), "seconds, as nas-py takes them");
    assertEquals(java.time.Duration.ofMillis(500), c.convert("0.5"));
    org.junit.jupiter.api.Assertions.assertThrows(
        CommandLine.TypeConversionException.class, () -> c.convert("soon"));
  }

  @Test
  void envNamesHoldTheWholeCommandPathSoSubcommandsDoNotCollide() {
    Map<String, String> env =
        Map.of(
            "NAS_SEARCH_CREATE_BUDGET", "5000",
            "NAS_BENCH_SEARCH_SEEDS", "3",
            "NAS_SEARCH_SEEDS", "9");
    assertEquals(5000L, (Long) option(env, "--budget", "search", "create"));
    assertEquals(3, (Integer) option(env, "--seeds", "bench", "search"));
    assertEquals(
        20L, (Long) option(Map.of("NAS_CREATE_BUDGET", "20"), "--budget", "search", "create") + 20);
  }

  private static Object option(Map<String, String> env, String name, String... args) {
    CommandLine cli = new CommandLine(new NasCommand());
    cli.setDefaultValueProvider(ConfigDefaults.fromArgs(args, env));
    cli.parseArgs(args);
    CommandLine sub = cli.getSubcommands().get(args[0]).getSubcommands().get(args[1]);
    return sub.getCommandSpec().findOption(name).getValue();
  }
}

package io.nassearch.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment and a config file, so that values come from (highest first):
 * the command-line flag, the env var {@code NAS_<COMMAND>_<OPTION>} with the whole command path
 * (e.g. {@code NAS_COORDINATOR_PORT}, {@code NAS_SEARCH_CREATE_BUDGET}, {@code
 * NAS_BENCH_SEARCH_SEEDS}, so that subcommands of different commands never share a name), the
 * {@code <command>.<option>} key of the properties file named by {@code --config} or {@code
 * NAS_CONFIG} (e.g. {@code search.create.budget}), then the built-in default.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;

  ConfigDefaults(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  static ConfigDefaults fromArgs(String[] args, Map<String, String> env) {
    String path = env.get("NAS_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    Properties props = new Properties();
    if (path != null && !path.isEmpty()) {
      try (Reader r = Files.newBufferedReader(Path.of(path))) {
        props.load(r);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(new NasCommand()),
            "Cannot read config file " + path + ": " + e.getMessage());
      }
    }
    return new ConfigDefaults(env, props);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || arg.command() == null) {
      return null;
    }
    java.util.List<String> path = new java.util.ArrayList<>();
    for (var c = arg.command(); c != null; c = c.parent()) {
      path.add(0, c.name());
    }
    if (path.size() > 1) {
      path.remove(0); // "nas"
    }
    String key = option.longestName().replaceFirst("^-+", "");
    String envName =
        ("NAS_" + String.join("_", path) + "_" + key).toUpperCase(Locale.ROOT).replace('-', '_');
    String value = env.get(envName);
    if (value != null && !value.isEmpty()) {
      return value;
    }
    value = file.getProperty(String.join(".", path) + "." + key);
    return value != null ? value : option.defaultValue();
  }
}

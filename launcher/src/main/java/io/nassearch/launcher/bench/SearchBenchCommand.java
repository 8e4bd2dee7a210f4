package io.nassearch.launcher.bench;

import io.nassearch.coordinator.algorithm.tradeoff.DescriptorGrid;
import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.benchmark.TableConstraints;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.evaluation.OfflineSearch;
import io.nassearch.coordinator.evaluation.QueryTrace;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    header = "Compares search algorithms by ground-truth queries on a benchmark space.",
    description = {
      "Compares search algorithms by ground-truth queries on a benchmark space (NAS-Bench-201, or a declared space",
      "such as nasbench_graph). Each algorithm x seed evaluates architectures by table look-up; the objective",
      "(validation accuracy) drives every decision. Per budget it reports the test accuracy of the best-validation",
      "architecture found (mean +- std), its transfer to other datasets and the queries to reach the optimum.",
      "Writes summary.csv, curves.csv and curves.png under --out (and Pareto or MAP-Elites files with --cost or",
      "--descriptors)."
    })
final class SearchBenchCommand implements Callable<Integer> {
  @Option(
      names = "--algorithms",
      split = ",",
      defaultValue = "random,evolution,local_search,guided_mse,guided",
      description =
          "Algorithms: any registered name (see 'nas search create --help') with optional settings, "
              + "NAME[:key=value...] (e.g. regularized_evolution:population_size=20, bananas:loss=mse; loss and epochs set the "
              + "surrogate of algorithms with a predictor), or a preset: evolution (population 10, tournament 3), guided "
              + "(pairwise ranking surrogate), guided_mse, guided_hinge, guided_listmle (default: ${DEFAULT-VALUE}).")
  List<String> algorithms;

  @Option(
      names = "--seeds",
      defaultValue = "20",
      description = "Seeds per algorithm, 0..N-1 (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--budgets",
      split = ",",
      defaultValue = "100,150",
      description = "Ground-truth query budgets reported (default: ${DEFAULT-VALUE}).")
  List<Integer> budgets;

  @Option(
      names = "--horizon",
      defaultValue = "500",
      description =
          "Most queries a run makes, for the queries-to-optimum column; a run stops early at the optimum (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--space",
      defaultValue = "nb201",
      description =
          "nb201, or a declared space: nasbench_graph, nb101_subset, nb301_subset, nb201_onehot, nb101, darts, or the id in --space-file (default: ${DEFAULT-VALUE}).")
  String spaceId;

  @Option(
      names = "--space-file",
      paramLabel = "FILE",
      description = "A space declared as JSON (SpaceDeclaration).")
  Path spaceFile;

  @Option(
      names = "--objective",
      description =
          "Column that drives the search (default: the space's first objective, cifar10_valid for nb201).")
  String objective;

  @Option(
      names = "--report",
      split = ",",
      description =
          "Columns reported for the best architecture found; the first is the headline (default for nb201: "
              + "cifar10_test,cifar100_test,imagenet16_test; otherwise the objective's _test column when there is one).")
  List<String> report;

  @Option(
      names = "--cost",
      paramLabel = "COLUMN",
      description =
          "Multi-objective: a table column to minimise next to the objective (e.g. lat_ms_pixel3, params_cifar10); "
              + "guided searches then look for the Pareto front, and the hypervolume of every algorithm's front is reported.")
  String cost;

  @Option(
      names = "--descriptors",
      split = ",",
      paramLabel = "COLUMN",
      description =
          "Quality-diversity: table columns spanning a MAP-Elites grid (e.g. params_cifar10,lat_ms_pixel3); guided "
              + "searches then fill the grid with elites, and every algorithm's coverage and QD-score are reported.")
  List<String> descriptors = new ArrayList<>();

  @Option(
      names = "--bins",
      defaultValue = "8",
      description = "Bins per descriptor of the MAP-Elites grid (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(
      names = "--constraint",
      paramLabel = "COLUMN<=VALUE",
      description =
          "Hard constraint on a table column, COLUMN<=VALUE or COLUMN>=VALUE (repeatable); infeasible architectures are never evaluated.")
  List<String> constraints = new ArrayList<>();

  @Option(
      names = "--guided",
      split = ",",
      description = "Settings for predictor_guided runs, e.g. ensemble_size=5,queries_per_round=5.")
  Map<String, Double> guidedSettings = new LinkedHashMap<>();

  @Option(
      names = "--simulated-cost",
      description =
          "NB201 only: compare by simulated GPU time instead of queries (a 200-epoch result costs the table's "
              + "cifar10_trainsplit_train_time_s, a 12-epoch one 12/200 of it); writes cost_summary.csv and cost_curves.csv.")
  boolean simulatedCost;

  @Option(
      names = "--gpu-hours",
      split = ",",
      defaultValue = "2,5,10,20,40,80",
      description =
          "--simulated-cost: budgets reported, in GPU hours; the largest ends each run (default: ${DEFAULT-VALUE}).")
  List<Double> gpuHours;

  @Option(
      names = "--cost-methods",
      split = ",",
      defaultValue = "random,evolution,guided,guided+asha,guided+surrogate_rule,hyperband",
      description =
          "--simulated-cost: methods, an algorithm label as in --algorithms, LABEL+asha or LABEL+surrogate_rule "
              + "(early stopping at 12 epochs), or hyperband (default: ${DEFAULT-VALUE}).")
  List<String> costMethods;

  @Mixin EpochsOption epochs;

  @Option(
      names = "--threads",
      description = "Runs in parallel (default: the number of processors).")
  Integer threads;

  @Option(
      names = "--out",
      defaultValue = ".nas/bench/search",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--data-dir",
      description = "Benchmark data directory (default: NAS_DATA_DIR or ../shared/data).")
  Path dataDir;

  private int simulatedCost(
      BenchmarkTable table, EnumerableSearchSpace space, Architecture target, ExecutorService pool)
      throws Exception {
    double cap = gpuHours.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    try {
      List<CostBench.Method> methods =
          CostBench.run(
              costMethods,
              seeds,
              cap,
              table,
              space,
              target,
              (label, seed) -> designers().create(label, space, Tradeoff.NONE, seed),
              pool);
      System.out.printf(
          Locale.ROOT,
          "%s, simulated GPU time, %d seeds; mean +- std CIFAR-10 test accuracy of the best-validation "
              + "architecture trained to 200 epochs%n",
          space.id(),
          seeds);
      CostBench.print(methods, gpuHours, cap, System.out);
      CostBench.write(methods, gpuHours, cap, out);
      System.err.println("wrote " + out.resolve("cost_summary.csv") + " and cost_curves.csv");
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  private BenchDesigners designers() {
    return new BenchDesigners(guidedSettings, epochs);
  }

  /** One algorithm's runs, one trace per seed. */
  record Result(String algorithm, List<QueryTrace> traces, double secondsPerRun) {}

  @Override
  public Integer call() throws Exception {
    DataDirectory data = DataDirectory.of(Optional.ofNullable(dataDir));
    SpaceCatalog.Loaded loaded = loadSpace(data);
    EnumerableSearchSpace space = loaded.space();
    BenchmarkTable table =
        loaded
            .table()
            .orElseThrow(
                () ->
                    new IllegalArgumentException("Space '" + spaceId + "' has no benchmark table"));
    if (objective == null) {
      objective = space.objectives().isEmpty() ? "cifar10_valid" : space.objectives().get(0);
    }
    if (report == null || report.isEmpty()) {
      String test =
          objective.endsWith("_valid") ? objective.replaceFirst("_valid$", "_test") : null;
      report =
          space.id().equals(SpaceCatalog.NB201) && objective.equals("cifar10_valid")
              ? List.of("cifar10_test", "cifar100_test", "imagenet16_test")
              : List.of(test != null && table.columns().contains(test) ? test : objective);
    }
    for (String column : concat(List.of(objective), report)) {
      if (!table.columns().contains(column)) {
        throw new IllegalArgumentException(
            "Unknown column '"
                + column
                + "'; the table ("
                + table.source()
                + ") has "
                + table.columns());
      }
    }
    if (seeds < 1 || horizon < 1 || budgets.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("--seeds, --horizon and --budgets must be positive");
    }
    int maxBudget = budgets.stream().mapToInt(Integer::intValue).max().orElse(1);
    // A front or an archive keeps improving after the best objective is found: such runs stop at
    // the budget.
    horizon = cost != null || !descriptors.isEmpty() ? maxBudget : Math.max(horizon, maxBudget);
    for (String label : algorithms) { // fail on a bad name or setting before any run starts
      designers().create(label, space, Tradeoff.NONE, 0).close();
    }
    Predicate<Architecture> feasible = TableConstraints.parse(constraints, table);
    if (cost != null && !table.columns().contains(cost)) {
      throw new IllegalArgumentException(
          "Unknown --cost column '" + cost + "'; the table has " + table.columns());
    }
    DescriptorGrid grid =
        descriptors.isEmpty()
            ? null
            : ArchiveReport.grid(table, space, descriptors, feasible, bins);
    Tradeoff tradeoff =
        new Tradeoff(
            cost == null ? null : a -> table.value(a, cost).orElse(Double.POSITIVE_INFINITY),
            feasible,
            grid);
    Architecture target = TableConstraints.feasibleOptimum(table, space, objective, feasible);
    // A front or an archive keeps improving after the best objective is found.
    Architecture earlyStop = cost == null && grid == null ? target : null;
    System.err.printf(
        Locale.ROOT,
        "table %s; optimum of %s %.2f (%s)%n",
        table.source(),
        objective,
        table.value(target, objective).orElseThrow(),
        space.format(target));
    int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
    if (simulatedCost) {
      return simulatedCost(table, space, target, pool);
    }
    List<Result> results = new ArrayList<>();
    try {
      for (String algorithm : algorithms) {
        long started = System.nanoTime();
        List<Future<QueryTrace>> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          long seed = s;
          runs.add(
              pool.submit(
                  () ->
                      OfflineSearch.run(
                          table,
                          objective,
                          designers().create(algorithm, space, tradeoff, seed),
                          horizon,
                          earlyStop,
                          feasible)));
        }
        List<QueryTrace> traces = new ArrayList<>();
        for (Future<QueryTrace> f : runs) {
          traces.add(f.get());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        results.add(
            new Result(
                algorithm, traces, seconds * Math.max(1, Math.min(parallel, seeds)) / seeds));
        System.err.printf(Locale.ROOT, "%s: %d seeds in %.1f s%n", algorithm, seeds, seconds);
      }
    } finally {
      pool.shutdownNow();
    }
    List<SearchBenchReport.Row> rows =
        SearchBenchReport.summarise(results, budgets, table, objective, report, target, horizon);
    System.out.printf(
        Locale.ROOT,
        "%s, decisions by %s, %d seeds, mean +- std; optimum: %s %.2f, %s %.2f%n",
        space.id(),
        objective,
        seeds,
        objective,
        table.value(target, objective).orElseThrow(),
        report.get(0),
        table.value(target, report.get(0)).orElse(Double.NaN));
    System.out.print(SearchBenchReport.render(rows, report));
    Files.createDirectories(out);
    Files.writeString(out.resolve("summary.csv"), SearchBenchReport.csv(rows, report));
    double[][] curves = SearchBenchReport.meanCurves(results, table, report.get(0), horizon);
    Files.writeString(out.resolve("curves.csv"), SearchBenchReport.curvesCsv(results, curves));
    SearchBenchReport.plot(
        results,
        curves,
        report.get(0),
        table.value(target, report.get(0)).orElse(Double.NaN),
        out.resolve("curves.png"));
    System.err.println(
        "wrote "
            + out.resolve("summary.csv")
            + ", "
            + out.resolve("curves.csv")
            + " and "
            + out.resolve("curves.png"));
    SearchBenchRun run =
        new SearchBenchRun(results, budgets, table, space, objective, feasible, out);
    if (cost != null) {
      ParetoReport.write(run, cost, System.out);
    }
    if (grid != null) {
      ArchiveReport.write(run, grid, System.out);
    }
    return 0;
  }

  /** The space {@code --space}: the one in {@code --space-file} when ids match, else a built-in. */
  private SpaceCatalog.Loaded loadSpace(DataDirectory data) {
    if (spaceFile != null) {
      SpaceDeclaration declaration = SpaceCatalog.parse(spaceFile);
      if (declaration.id().equals(spaceId)) {
        return SpaceCatalog.load(declaration, data)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Space '"
                            + spaceId
                            + "' needs its table, which is not in "
                            + data.placesLooked()));
      }
    }
    return SpaceCatalog.builtIn(spaceId, data);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}

using MzDeploy.Benchmarks;

// `build.ps1 bench` runs: dotnet run --project bench/MzDeploy.Benchmarks -c Release -- proxy (and -- unit-tests)
return args.FirstOrDefault() switch
{
    "proxy" => await ProxyOverheadBenchmark.RunAsync(queries: 10_000, rounds: 9),
    "unit-tests" => await UnitTestBenchmark.RunAsync(views: 10, testsPerView: 10),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MzDeploy.Benchmarks proxy|unit-tests");
    return 2;
}

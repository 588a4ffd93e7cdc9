using MzDeploy.Benchmarks;

// `build.ps1 bench` runs: dotnet run --project bench/MzDeploy.Benchmarks -c Release -- proxy
return args.FirstOrDefault() switch
{
    "proxy" => await ProxyOverheadBenchmark.RunAsync(queries: 10_000, rounds: 9),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MzDeploy.Benchmarks proxy");
    return 2;
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Benchmarks.Infrastructure;
using ImagingRepo.Service.Creation.Benchmarking;
using ImagingRepo.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImagingRepo.Benchmarks.Service;

/// <summary>
/// <c>service</c>: the dataset service on PostgreSQL (<c>IMAGINGREPO_POSTGRES</c>, or one started with
/// <c>scripts/services/postgres.sh</c> for the run) in a schema of its own, seeded through its own API with 1,000
/// datasets of 100 studies each (100,000 studies), then <c>GET /api/datasets</c> with a search string and a sort under
/// load from concurrent clients on loopback, bounded in requests and in time; then <c>create_ratio</c>, a creation of
/// 1,000 studies × 3 series against <c>DatasetHasher</c> alone over the same files (CreationRatioBenchmark). Last line:
/// <c>service: rps=N p50=Xms p99=Yms create_ratio=R (postgres)</c>.
/// Options: <c>--datasets N</c> (1000), <c>--studies-per-dataset N</c> (100), <c>--concurrency N</c> (8),
/// <c>--requests N</c> (20000), <c>--seconds N</c> (30), <c>--instances-per-series N</c> (2), <c>--rounds N</c> (3),
/// <c>--no-creation</c> (skip create_ratio).
/// </summary>
internal static class ServiceLoadScenario
{
    private const string Project = "BENCH";
    private static readonly string[] Organs = ["Lung", "Breast", "Prostate", "Colon", "Rectum"];
    private static readonly string[] Modalities = ["CT", "MR", "PET"];

    public static async Task<int> RunAsync(string[] args)
    {
        var datasets = Arg(args, "--datasets", 1_000);
        var studiesPerDataset = Arg(args, "--studies-per-dataset", 100);
        var concurrency = Arg(args, "--concurrency", 8);
        var maxRequests = Arg(args, "--requests", 20_000);
        var seconds = Arg(args, "--seconds", 30);
        var instances = Arg(args, "--instances-per-series", 2);
        var rounds = Arg(args, "--rounds", 3);

        await using var postgres = await ServiceScript.EnsureAsync("postgres", "IMAGINGREPO_POSTGRES").ConfigureAwait(false);
        var connectionString = Environment.GetEnvironmentVariable("IMAGINGREPO_POSTGRES")!;
        var schema = "bench_service_" + Guid.NewGuid().ToString("N")[..10];
        var work = Path.Combine(Path.GetTempPath(), "imagingrepo-bench-service-" + Guid.NewGuid().ToString("N"));
        await ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}").ConfigureAwait(false);
        LoadResult load;
        try
        {
            await using var app = await StartAsync(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ToString(), work).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(concurrency, 4), PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
            client.DefaultRequestHeaders.Add("X-ImagingRepo-User", "bench-curator");
            client.DefaultRequestHeaders.Add("X-ImagingRepo-Roles", "admin_datasets,admin_projects");
            client.DefaultRequestHeaders.Add("X-ImagingRepo-Groups", "PROJECT-" + Project);

            var watch = Stopwatch.StartNew();
            await SeedAsync(client, datasets, studiesPerDataset).ConfigureAwait(false);
            Console.WriteLine($"service: seeded {datasets} datasets with {datasets * studiesPerDataset} studies through POST /api/datasets in {watch.Elapsed.TotalSeconds:F1} s");

            const string Query = "api/datasets?searchString=lung&sortBy=name&sortDirection=ascending&skip=0&limit=30";
            var first = await client.GetFromJsonAsync<JsonElement>(Query).ConfigureAwait(false);
            Console.WriteLine($"service: GET /{Query} matches {first.GetProperty("total").GetInt32()} datasets, returns {first.GetProperty("returned").GetInt32()}");
            await RunLoadAsync(client, Query, concurrency, Math.Min(500, maxRequests), TimeSpan.FromSeconds(10)).ConfigureAwait(false); // warm-up
            load = await RunLoadAsync(client, Query, concurrency, maxRequests, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            Console.WriteLine($"service: {load.Requests} requests from {concurrency} clients in {load.Elapsed.TotalSeconds:F1} s, {load.Failures} failed");
            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(connectionString, $"DROP SCHEMA IF EXISTS {schema} CASCADE").ConfigureAwait(false);
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }

        var ratio = "skipped";
        if (!args.Contains("--no-creation"))
        {
            var measured = await CreationRatioBenchmark.MeasureAsync(new CreationRatioOptions
            {
                WorkFolder = Path.Combine(Path.GetTempPath(), "imagingrepo-bench-creation-" + Guid.NewGuid().ToString("N")),
                Studies = 1_000,
                SeriesPerStudy = 3,
                InstancesPerSeries = instances,
                Rounds = rounds,
            }, Console.Out).ConfigureAwait(false);
            ratio = measured.Ratio.ToString("F2", CultureInfo.InvariantCulture);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"service: rps={load.RequestsPerSecond:F0} p50={load.Percentile(0.50):F1}ms p99={load.Percentile(0.99):F1}ms create_ratio={ratio} (postgres)"));
        return load.Failures == 0 ? 0 : 1;
    }

    /// <summary>The service in this process on a free loopback port, in development mode (the headers name the caller).</summary>
    private static async Task<WebApplication> StartAsync(string connectionString, string dataDirectory)
    {
        var app = ServiceApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ImagingRepo:Service:DataDirectory"] = dataDirectory,
            ["ImagingRepo:Service:Storage:Provider"] = "PostgreSql",
            ["ImagingRepo:Service:Storage:PostgreSqlConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ImagingRepo.Service.DevelopmentMode"] = "Error",
        }));
        await ServiceApplication.InitializeAsync(app).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    private static async Task SeedAsync(HttpClient client, int datasets, int studiesPerDataset)
    {
        var project = new JsonObject { ["name"] = "Benchmark", ["shortDescription"] = "Datasets of the service benchmark.", ["projectConfig"] = new JsonObject() };
        using (var response = await client.PutAsJsonAsync($"api/projects/{Project}", project).ConfigureAwait(false)) response.EnsureSuccessStatusCode();
        await Parallel.ForEachAsync(Enumerable.Range(0, datasets), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            using var response = await client.PostAsJsonAsync("api/datasets", Dataset(i, studiesPerDataset), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"creating dataset {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }
        }).ConfigureAwait(false);
    }

    private static JsonObject Dataset(int index, int studies)
    {
        var list = new JsonArray();
        var subjects = new JsonArray();
        for (var s = 0; s < studies; s++)
        {
            var subject = $"BENCH-{index:D4}-{s / 2:D3}";
            if (s % 2 == 0) subjects.Add(new JsonObject { ["subjectName"] = subject, ["subjectId"] = $"{index}-{s / 2}" });
            list.Add(new JsonObject
            {
                ["studyId"] = $"study-{index:D4}-{s:D3}",
                ["studyName"] = $"{Modalities[s % Modalities.Length]}{s}",
                ["subjectName"] = subject,
                ["pathInDatalake"] = $"bench/{subject}/study-{s:D3}",
                ["series"] = new JsonArray(new JsonObject { ["folderName"] = "1", ["tags"] = new JsonArray() }),
                ["url"] = "",
            });
        }

        return new JsonObject
        {
            ["name"] = $"{Organs[index % Organs.Length]} {Modalities[index / Organs.Length % Modalities.Length]} cohort {index:D4}",
            ["version"] = "1",
            ["project"] = Project,
            ["description"] = $"Benchmark dataset {index}.",
            ["type"] = new JsonArray("original"),
            ["collectionMethod"] = new JsonArray("cohort"),
            ["studies"] = list,
            ["subjects"] = subjects,
        };
    }

    private sealed record LoadResult(int Requests, int Failures, TimeSpan Elapsed, double[] LatenciesMs)
    {
        public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

        public double Percentile(double p) =>
            LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(p * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];
    }

    /// <summary>Closed-loop load: <paramref name="concurrency"/> clients, each sending the next request when the last is read, until the count or the time is used up.</summary>
    private static async Task<LoadResult> RunLoadAsync(HttpClient client, string path, int concurrency, int maxRequests, TimeSpan duration)
    {
        var latencies = new double[maxRequests];
        var next = -1;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var buffer = new byte[64 * 1024];
            while (watch.Elapsed < duration)
            {
                var slot = Interlocked.Increment(ref next);
                if (slot >= maxRequests) return;
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                await using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    while (await body.ReadAsync(buffer).ConfigureAwait(false) > 0)
                    {
                    }
                }

                latencies[slot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
        }).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        var done = Math.Min(next + 1, maxRequests);
        var measured = latencies.Take(done).Where(l => l > 0).ToArray();
        Array.Sort(measured);
        return new LoadResult(measured.Length, failures, elapsed, measured);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo trace list|show|verify|hash</c>: the local trace outbox, inclusion proofs and dataset hash trees.
/// The outbox is a SQLite file (<c>--outbox</c>, or <c>IMAGINGREPO_TRACE_OUTBOX</c>) or PostgreSQL (<c>--postgres</c>);
/// the ledger is the local file ledger (<c>--ledger</c>) or an Ethereum node (<c>--rpc</c>, <c>--contract</c>,
/// <c>--chain-id</c>; the key comes from <c>IMAGINGREPO_ETH_PRIVATE_KEY</c> and is only needed to anchor).
/// </summary>
internal static class TraceCommand
{
    private static readonly Option<string> Outbox = new("--outbox")
    {
        Description = "SQLite outbox file (default: $IMAGINGREPO_TRACE_OUTBOX or ./traces.db)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("IMAGINGREPO_TRACE_OUTBOX") ?? "traces.db",
        Recursive = true,
    };

    private static readonly Option<string?> Postgres = new("--postgres") { Description = "Npgsql connection string: use a PostgreSQL outbox instead", Recursive = true };

    private static readonly Option<string> FileLedger = new("--ledger")
    {
        Description = "File ledger (default: $IMAGINGREPO_TRACE_LEDGER or ./traces.ledger.jsonl)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("IMAGINGREPO_TRACE_LEDGER") ?? "traces.ledger.jsonl",
        Recursive = true,
    };

    private static readonly Option<string?> Rpc = new("--rpc") { Description = "Ethereum JSON-RPC URL: use the TraceAnchor contract instead of the file ledger", Recursive = true };

    private static readonly Option<string?> Contract = new("--contract") { Description = "TraceAnchor contract address (with --rpc)", Recursive = true };

    private static readonly Option<long> ChainId = new("--chain-id") { Description = "Chain id (with --rpc)", DefaultValueFactory = _ => 31337, Recursive = true };

    private static readonly Option<long> FromBlock = new("--from-block") { Description = "Contract deployment block (with --rpc)", Recursive = true };

    public static Command Create()
    {
        var command = new Command("trace", "Recorded traces, their anchoring status and proofs, and dataset hash trees.");
        command.Options.Add(Outbox);
        command.Options.Add(Postgres);
        command.Options.Add(FileLedger);
        command.Options.Add(Rpc);
        command.Options.Add(Contract);
        command.Options.Add(ChainId);
        command.Options.Add(FromBlock);
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateHash());
        return command;
    }

    private static Command CreateList()
    {
        var status = new Option<TraceStatus?>("--status") { Description = "Only this status (Waiting, Submitted, Anchored, Failed)" };
        var dataset = new Option<string?>("--dataset") { Description = "Only traces concerning this dataset id" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List recorded traces with their status.");
        command.Options.Add(status);
        command.Options.Add(dataset);
        command.Options.Add(limit);
        command.SetAction(async (parse, ct) =>
        {
            await using var outbox = await OpenOutboxAsync(parse, ct).ConfigureAwait(false);
            var records = await outbox.ListAsync(new TraceListQuery(parse.GetValue(status), parse.GetValue(dataset), Limit: Math.Clamp(parse.GetValue(limit), 1, 10_000)), ct).ConfigureAwait(false);
            var table = new Table().AddColumns("Id", "Action", "Datasets", "Status", "Batch", "Recorded (UTC)");
            foreach (var r in records)
            {
                table.AddRow(
                    r.Trace.Id.ToString("D"), r.Trace.UserAction.ToString(), Markup.Escape(string.Join(",", r.Trace.ReferencedDatasetIds)),
                    r.Status + (r.Message is null ? "" : ": " + Markup.Escape(r.Message)),
                    r.BatchId?.ToString(CultureInfo.InvariantCulture) ?? "",
                    DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt).ToString("u", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            var counts = await outbox.CountAsync(ct).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"waiting {counts.Waiting}, submitted {counts.Submitted}, anchored {counts.Anchored}, failed {counts.Failed}");
            return 0;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<Guid>("id") { Description = "Trace id" };
        var command = new Command("show", "Print a trace (V1 JSON), its status and, when anchored, its inclusion proof.");
        command.Arguments.Add(id);
        command.SetAction(async (parse, ct) =>
        {
            await using var outbox = await OpenOutboxAsync(parse, ct).ConfigureAwait(false);
            var record = await outbox.GetAsync(parse.GetValue(id), ct).ConfigureAwait(false);
            if (record is null)
            {
                Console.Error.WriteLine($"trace {parse.GetValue(id)} is not recorded in this outbox");
                return 1;
            }

            Console.WriteLine(Encoding.UTF8.GetString(record.CanonicalJson.Span));
            Console.WriteLine($"status: {record.Status}{(record.Message is null ? "" : " (" + record.Message + ")")}");
            if (record.Status == TraceStatus.Anchored)
            {
                var ledger = await OpenLedgerAsync(parse, ct).ConfigureAwait(false);
                var proof = await new TraceVerifier(outbox, ledger).ExportProofAsync(record.Trace.Id, ct).ConfigureAwait(false);
                Console.WriteLine(proof!.ToJson());
                (ledger as IDisposable)?.Dispose();
            }

            return 0;
        });
        return command;
    }

    private static Command CreateVerify()
    {
        var id = new Argument<Guid?>("id") { Description = "Trace id to verify from the outbox", Arity = ArgumentArity.ZeroOrOne };
        var proofFile = new Option<FileInfo?>("--proof") { Description = "Verify an exported proof file instead" };
        var command = new Command("verify", "Verify a trace against its inclusion proof and the ledger (exit 0 anchored, 1 not anchored, 2 tampered).");
        command.Arguments.Add(id);
        command.Options.Add(proofFile);
        command.SetAction(async (parse, ct) =>
        {
            var ledger = await OpenLedgerAsync(parse, ct).ConfigureAwait(false);
            try
            {
                TraceVerification result;
                if (parse.GetValue(proofFile) is { } file)
                {
                    TraceProof proof;
                    try
                    {
                        proof = TraceProof.Parse(await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false));
                    }
                    catch (FormatException e)
                    {
                        Console.Error.WriteLine($"{file.Name}: {e.Message}");
                        return 3;
                    }

                    await using var outbox = await OpenOutboxAsync(parse, ct).ConfigureAwait(false);
                    result = await new TraceVerifier(outbox, ledger).VerifyProofAsync(proof, ct).ConfigureAwait(false);
                }
                else if (parse.GetValue(id) is { } traceId)
                {
                    await using var outbox = await OpenOutboxAsync(parse, ct).ConfigureAwait(false);
                    result = await new TraceVerifier(outbox, ledger).VerifyStoredAsync(traceId, ct).ConfigureAwait(false);
                }
                else
                {
                    Console.Error.WriteLine("give a trace id or --proof FILE");
                    return 3;
                }

                Console.WriteLine($"{result.Status.ToString().ToLowerInvariant()}: {result.Reason}");
                return result.Status switch
                {
                    TraceVerificationStatus.Anchored => 0,
                    TraceVerificationStatus.NotAnchored => 1,
                    _ => 2,
                };
            }
            finally
            {
                (ledger as IDisposable)?.Dispose();
            }
        });
        return command;
    }

    private static Command CreateHash()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Dataset folder (index.json, eforms.json, subject/study/series folders)" };
        var json = new Option<bool>("--json") { Description = "Print the CREATE_DATASET traceResources as JSON" };
        var command = new Command("hash", "Print a dataset's hash tree (series, studies, images, index, eforms; SHA3-256, base64).");
        command.Arguments.Add(dir);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            DatasetHashTree tree;
            try
            {
                tree = await DatasetHasher.ComputeAsync(parse.GetValue(dir)!.FullName, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (DatasetHashException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }

            if (parse.GetValue(json))
            {
                var resources = tree.ToTraceResources().Select(r => new Dictionary<string, string>
                {
                    ["id"] = r.Id, ["contentHash"] = r.ContentHash, ["contentHashType"] = "SHA3_256",
                }).ToList();
                Console.WriteLine(JsonSerializer.Serialize(resources, CliJsonContext.Default.ListDictionaryStringString));
                return 0;
            }

            var root = new Tree($"images {Convert.ToBase64String(tree.Images)}");
            foreach (var study in tree.Studies)
            {
                var node = root.AddNode($"{Markup.Escape(study.Path)}  {Convert.ToBase64String(study.Digest)}");
                foreach (var series in study.Series)
                {
                    node.AddNode($"{Markup.Escape(series.Path)}  {Convert.ToBase64String(series.Digest)}  ({series.FileCount} files, {series.ByteCount} bytes)");
                }
            }

            AnsiConsole.Write(root);
            Console.WriteLine($"index   {(tree.Index is null ? "(none)" : Convert.ToBase64String(tree.Index))}");
            Console.WriteLine($"eforms  {(tree.Eforms is null ? "(none)" : Convert.ToBase64String(tree.Eforms))}");
            return 0;
        });
        return command;
    }

    private static async Task<TraceOutbox> OpenOutboxAsync(ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(Postgres) is { Length: > 0 } connectionString)
        {
            return await PostgresTraceOutbox.OpenAsync(connectionString, cancellationToken: ct).ConfigureAwait(false);
        }

        return await SqliteTraceOutbox.OpenAsync(parse.GetValue(Outbox)!, cancellationToken: ct).ConfigureAwait(false);
    }

    private static async Task<ITraceLedger> OpenLedgerAsync(ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(Rpc) is { Length: > 0 } rpc)
        {
            // Reading needs no key; a throw-away one satisfies the signer (nothing is sent from these commands).
            var key = Environment.GetEnvironmentVariable("IMAGINGREPO_ETH_PRIVATE_KEY")
                      ?? Nethereum.Signer.EthECKey.GenerateKey().GetPrivateKey();
            return new EthereumTraceLedger(new EthereumTraceLedgerOptions
            {
                RpcUrl = new Uri(rpc), ChainId = parse.GetValue(ChainId), ContractAddress = parse.GetValue(Contract),
                PrivateKey = key, DeploymentBlock = parse.GetValue(FromBlock),
            });
        }

        return await Tracing.Ledgers.FileTraceLedger.OpenAsync(parse.GetValue(FileLedger)!, ct).ConfigureAwait(false);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<Dictionary<string, string>>))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

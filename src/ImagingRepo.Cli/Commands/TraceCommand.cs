using System.Buffers;
using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using ImagingRepo.Tracing.Proofs;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo trace record|list|show|verify|hash</c>: recording a dataset's CREATE_DATASET trace, the local trace
/// outbox, inclusion proofs and dataset hash trees. The outbox is a SQLite file (<c>--outbox</c>, or
/// <c>IMAGINGREPO_TRACE_OUTBOX</c>) or PostgreSQL (<c>--postgres</c>); the ledger is the local file ledger
/// (<c>--ledger</c>) or an Ethereum node (<c>--rpc</c>, <c>--contract</c>, <c>--chain-id</c>; the key comes from
/// <c>IMAGINGREPO_ETH_PRIVATE_KEY</c> and is only needed to anchor). Exit codes: 0 done (anchored, hashes match),
/// 1 not anchored, not recorded or hashes differ, 2 tampered, 3 nothing to read (no outbox, unreadable file).
/// </summary>
internal static class TraceCommand
{
    /// <summary>Exit code: the trace or the ledger was changed after anchoring.</summary>
    private const int Tampered = 2;

    /// <summary>Exit code: there is nothing to read (no outbox yet, an unreadable file, a trace of another kind).</summary>
    private const int CannotRead = 3;

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
        var command = new Command("trace", "Record a dataset's CREATE_DATASET trace; list, show and verify recorded traces; hash dataset folders.")
        {
            Outbox,
            Postgres,
            FileLedger,
            Rpc,
            Contract,
            ChainId,
            FromBlock,
            CreateRecord(),
            CreateList(),
            CreateShow(),
            CreateVerify(),
            CreateHash(),
        };
        return command;
    }

    private static Command CreateRecord()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Dataset folder (index.json, eforms.json, subject/study/series folders)" };
        var datasetId = new Option<string?>("--dataset-id") { Description = "The dataset's id (default: the folder's name)" };
        var user = new Option<string>("--user")
        {
            Description = "Who creates the dataset; stored only as a keyed pseudonym (default: the login name)",
            DefaultValueFactory = _ => Environment.UserName,
        };
        var keyFile = new Option<string?>("--key-file")
        {
            Description = "Pseudonymization key for user ids (base64, at least 32 bytes; default: $IMAGINGREPO_TRACE_KEY_FILE, " +
                          "or traces.key beside the SQLite outbox, made at random on the first record)",
        };
        var command = new Command("record", "Hash a dataset folder, record its CREATE_DATASET trace in the outbox and anchor it in the ledger (exit 0 anchored).")
        {
            dir,
            datasetId,
            user,
            keyFile,
        };
        command.SetAction((parse, ct) => GuardedAsync(async () =>
        {
            var folder = parse.GetValue(dir)!;
            DatasetHashTree tree;
            try
            {
                tree = await DatasetHasher.ComputeAsync(folder.FullName, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (DatasetHashException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }

            var pseudonymizer = LoadOrCreateKey(parse.GetValue(keyFile), parse);
            if (pseudonymizer is null)
            {
                return CannotRead;
            }

            if (parse.GetValue(Rpc) is { Length: > 0 } && Environment.GetEnvironmentVariable("IMAGINGREPO_ETH_PRIVATE_KEY") is null)
            {
                Console.Error.WriteLine("anchoring on Ethereum needs the sender's key in IMAGINGREPO_ETH_PRIVATE_KEY");
                return CannotRead;
            }

            var trace = new CreateDatasetTrace
            {
                Id = Guid.NewGuid(),
                CallerId = "imagingrepo-cli",
                Timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
                UserId = parse.GetValue(user)!,
                DatasetId = parse.GetValue(datasetId) ?? folder.Name,
                TraceResources = tree.ToTraceResources(),
            };
            await using var store = await OpenStoreAsync(parse, pseudonymizer, outbox: true, ledger: true, ct).ConfigureAwait(false);
            await store.Outbox.RecordAsync(trace, ct).ConfigureAwait(false);
            try
            {
                // anchors everything waiting now, so that the trace leaves this command verifiable
                await store.Dispatcher.FlushAsync(ct).ConfigureAwait(false);
            }
            catch (LedgerException e)
            {
                Console.Error.WriteLine($"recorded, not anchored yet ({e.Message}); a later record or a dispatcher anchors it");
            }

            var record = await store.Outbox.GetAsync(trace.Id, ct).ConfigureAwait(false);
            var status = record?.Status ?? TraceStatus.Waiting;
            Console.WriteLine($"{trace.UserAction.ToWireName()} trace {trace.Id:D} for dataset {trace.DatasetId}: {status}" +
                              (record?.LedgerBatchNumber is { } batch ? $" in ledger batch {batch}" : ""));
            foreach (var resource in trace.TraceResources)
            {
                Console.WriteLine($"  {resource.Id,-7} {resource.ContentHash}");
            }

            return status == TraceStatus.Anchored ? 0 : 1;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var status = new Option<TraceStatus?>("--status") { Description = "Only this status (Waiting, Submitted, Anchored, Failed)" };
        var dataset = new Option<string?>("--dataset") { Description = "Only traces concerning this dataset id" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print the traces as a JSON array" };
        var command = new Command("list", "List recorded traces with their status.")
        {
            status,
            dataset,
            limit,
            json,
        };
        command.SetAction((parse, ct) => GuardedAsync(async () =>
        {
            await using var store = await OpenExistingOutboxAsync(parse, ct).ConfigureAwait(false);
            if (store is null)
            {
                return CannotRead;
            }

            var outbox = store.Outbox;
            var records = await outbox.ListAsync(new TraceListQuery(parse.GetValue(status), parse.GetValue(dataset), Limit: Math.Clamp(parse.GetValue(limit), 1, 10_000)), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json(writer =>
                {
                    writer.WriteStartArray();
                    foreach (var r in records)
                    {
                        WriteSummary(writer, r);
                    }

                    writer.WriteEndArray();
                }));
                return 0;
            }

            var table = new Table().AddColumns("Id", "Action", "Datasets", "Status", "Batch", "Recorded (UTC)");
            foreach (var r in records)
            {
                table.AddRow(
                    r.Trace.Id.ToString("D"), r.Trace.UserAction.ToWireName(), Markup.Escape(string.Join(",", r.Trace.ReferencedDatasetIds)),
                    r.Status + (r.Message is null ? "" : ": " + Markup.Escape(r.Message)),
                    r.BatchId?.ToString(CultureInfo.InvariantCulture) ?? "",
                    DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt).ToString("u", CultureInfo.InvariantCulture));
            }

            var console = CliConsole.Create();
            console.Write(table);
            var counts = await outbox.CountAsync(ct).ConfigureAwait(false);
            console.WriteLine($"waiting {counts.Waiting}, submitted {counts.Submitted}, anchored {counts.Anchored}, failed {counts.Failed}");
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<Guid>("id") { Description = "Trace id" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: trace, status, message, proof" };
        var command = new Command("show", "Print a trace (V1 JSON), its status and, when anchored, its inclusion proof.")
        {
            id,
            json,
        };
        command.SetAction((parse, ct) => GuardedAsync(async () =>
        {
            await using var store = await OpenExistingOutboxAsync(parse, ct).ConfigureAwait(false);
            if (store is null)
            {
                return CannotRead;
            }

            var record = await store.Outbox.GetAsync(parse.GetValue(id), ct).ConfigureAwait(false);
            if (record is null)
            {
                Console.Error.WriteLine($"trace {parse.GetValue(id)} is not recorded in this outbox");
                return 1;
            }

            string? proof = null;
            if (record.Status == TraceStatus.Anchored)
            {
                // the ledger is opened only for an anchored trace: a broken ledger does not hide the outbox's records
                await using var ledger = await OpenStoreAsync(parse, null, outbox: false, ledger: true, ct).ConfigureAwait(false);
                proof = (await new TraceVerifier(store.Outbox, ledger.Ledger).ExportProofAsync(record.Trace.Id, ct).ConfigureAwait(false))?.ToJson();
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(Json(writer =>
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("trace");
                    writer.WriteRawValue(record.CanonicalJson.Span);
                    writer.WriteString("status", record.Status.ToString());
                    writer.WriteString("message", record.Message);
                    writer.WritePropertyName("proof");
                    if (proof is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteRawValue(proof);
                    }

                    writer.WriteEndObject();
                }));
                return 0;
            }

            Console.WriteLine(Encoding.UTF8.GetString(record.CanonicalJson.Span));
            Console.WriteLine($"status: {record.Status}{(record.Message is null ? "" : " (" + record.Message + ")")}");
            if (proof is not null)
            {
                Console.WriteLine(proof);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateVerify()
    {
        var id = new Argument<Guid?>("id") { Description = "Trace id to verify from the outbox", Arity = ArgumentArity.ZeroOrOne };
        var proofFile = new Option<FileInfo?>("--proof") { Description = "Verify an exported proof file instead" };
        var command = new Command("verify", "Verify a trace against its inclusion proof and the ledger (exit 0 anchored, 1 not anchored, 2 tampered, 3 nothing to read).")
        {
            id,
            proofFile,
        };
        command.SetAction((parse, ct) => GuardedAsync(async () =>
        {
            TraceProof? proof = null;
            if (parse.GetValue(proofFile) is { } file)
            {
                try
                {
                    proof = TraceProof.Parse(await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false));
                }
                catch (FormatException e)
                {
                    Console.Error.WriteLine($"{file.Name}: {e.Message}");
                    return CannotRead;
                }
            }
            else if (parse.GetValue(id) is null)
            {
                Console.Error.WriteLine("give a trace id or --proof FILE");
                return CannotRead;
            }

            // an exported proof is checked against the ledger alone: whoever holds it needs no outbox
            if (proof is null && MissingOutbox(parse))
            {
                return CannotRead;
            }

            // the ledger first: a tampered ledger is reported as such whatever the outbox holds
            await using var ledger = await OpenStoreAsync(parse, null, outbox: false, ledger: true, ct).ConfigureAwait(false);
            TraceVerification result;
            if (proof is not null)
            {
                result = await TraceVerifier.VerifyProofOnLedgerAsync(proof, ledger.Ledger, ct).ConfigureAwait(false);
            }
            else
            {
                await using var outbox = await OpenStoreAsync(parse, null, outbox: true, ledger: false, ct).ConfigureAwait(false);
                result = await new TraceVerifier(outbox.Outbox, ledger.Ledger).VerifyStoredAsync(parse.GetValue(id)!.Value, ct).ConfigureAwait(false);
            }

            Console.WriteLine($"{result.Status.ToString().ToLowerInvariant()}: {result.Reason}");
            return result.Status switch
            {
                TraceVerificationStatus.Anchored => 0,
                TraceVerificationStatus.NotAnchored => 1,
                _ => Tampered,
            };
        }));
        return command;
    }

    private static Command CreateHash()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Dataset folder (index.json, eforms.json, subject/study/series folders)" };
        var json = new Option<bool>("--json") { Description = "Print the CREATE_DATASET traceResources as JSON" };
        var check = new Option<Guid?>("--check")
        {
            Description = "Compare with the hashes recorded in this CREATE_DATASET trace (exit 0 match, 1 differ)",
        };
        var command = new Command("hash", "Print a dataset's hash tree (series, studies, images, index, eforms; SHA3-256, base64), or check it against its recorded trace.")
        {
            dir,
            json,
            check,
        };
        command.SetAction((parse, ct) => GuardedAsync(async () =>
        {
            CreateDatasetTrace? recorded = null;
            if (parse.GetValue(check) is { } traceId)
            {
                await using var store = await OpenExistingOutboxAsync(parse, ct).ConfigureAwait(false);
                if (store is null)
                {
                    return CannotRead;
                }

                var record = await store.Outbox.GetAsync(traceId, ct).ConfigureAwait(false);
                if (record?.Trace is not CreateDatasetTrace creation)
                {
                    Console.Error.WriteLine(record is null
                        ? $"trace {traceId} is not recorded in this outbox"
                        : $"trace {traceId} is {record.Trace.UserAction.ToWireName()}: only a CREATE_DATASET trace records a dataset's hashes");
                    return CannotRead;
                }

                recorded = creation;
            }

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

            if (recorded is not null)
            {
                var integrity = tree.CompareWith(recorded);
                if (integrity.IsIntact)
                {
                    Console.WriteLine($"match: the folder has the hashes recorded in trace {recorded.Id:D} (dataset {recorded.DatasetId})");
                    return 0;
                }

                Console.WriteLine($"mismatch: the folder differs from trace {recorded.Id:D} (dataset {recorded.DatasetId}):");
                foreach (var line in integrity.Mismatches)
                {
                    Console.WriteLine("  " + line);
                }

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

            CliConsole.Create().Write(root);
            Console.WriteLine($"index   {(tree.Index is null ? "(none)" : Convert.ToBase64String(tree.Index))}");
            Console.WriteLine($"eforms  {(tree.Eforms is null ? "(none)" : Convert.ToBase64String(tree.Eforms))}");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Runs a command's body and turns the failures a user can cause (a tampered ledger, a file that is not an outbox,
    /// an unreachable node) into a message and an exit code instead of a stack trace.
    /// </summary>
    private static async Task<int> GuardedAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (LedgerTamperedException e)
        {
            Console.Error.WriteLine($"the ledger is tampered: {e.Message}");
            return Tampered;
        }
        catch (LedgerException e)
        {
            Console.Error.WriteLine($"the ledger cannot be read: {e.Message}");
            return CannotRead;
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            Console.Error.WriteLine($"cannot read the trace store: {e.Message}");
            return CannotRead;
        }
    }

    /// <summary>
    /// Whether the SQLite outbox named is missing: reading commands say so instead of creating an empty database
    /// (which would make a mistyped path look like "no traces").
    /// </summary>
    private static bool MissingOutbox(ParseResult parse)
    {
        if (parse.GetValue(Postgres) is { Length: > 0 })
        {
            return false;
        }

        var path = Path.GetFullPath(parse.GetValue(Outbox)!);
        if (File.Exists(path))
        {
            return false;
        }

        Console.Error.WriteLine($"no trace outbox at {path}: nothing has been recorded there. " +
                                "Record a dataset with 'imagingrepo trace record DIR', or name the outbox with --outbox FILE or IMAGINGREPO_TRACE_OUTBOX.");
        return true;
    }

    /// <summary>Opens the outbox for a reading command, or says it is missing and returns null (see <see cref="MissingOutbox"/>).</summary>
    private static async Task<TraceStore?> OpenExistingOutboxAsync(ParseResult parse, CancellationToken ct) =>
        MissingOutbox(parse) ? null : await OpenStoreAsync(parse, null, outbox: true, ledger: false, ct).ConfigureAwait(false);

    /// <summary>
    /// The pseudonymizer for user ids: the key file named, or the embedded default traces.key beside the SQLite outbox,
    /// made (32 random bytes, readable by the owner only) on the first record. Null, with a message, when unusable.
    /// </summary>
    private static UserPseudonymizer? LoadOrCreateKey(string? keyFile, ParseResult parse)
    {
        var named = keyFile ?? Environment.GetEnvironmentVariable("IMAGINGREPO_TRACE_KEY_FILE");
        var path = named ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(Outbox)!))!, "traces.key");
        try
        {
            if (!File.Exists(path))
            {
                if (named is not null)
                {
                    Console.Error.WriteLine($"no pseudonymization key at {path}");
                    return null;
                }

                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var writer = new StreamWriter(path, Encoding.ASCII, options);
                writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                Console.Error.WriteLine($"made a pseudonymization key for user ids at {path}: keep it, traces of the same user need the same key");
            }

            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (key.Length < 32)
            {
                Console.Error.WriteLine($"{path}: a pseudonymization key needs at least 32 bytes (base64)");
                return null;
            }

            return new UserPseudonymizer(key);
        }
        catch (FormatException)
        {
            Console.Error.WriteLine($"{path}: not base64");
            return null;
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteSummary(Utf8JsonWriter writer, TraceRecord r)
    {
        writer.WriteStartObject();
        writer.WriteString("id", r.Trace.Id);
        writer.WriteString("action", r.Trace.UserAction.ToWireName());
        writer.WriteStartArray("datasets");
        foreach (var dataset in r.Trace.ReferencedDatasetIds)
        {
            writer.WriteStringValue(dataset);
        }

        writer.WriteEndArray();
        writer.WriteString("status", r.Status.ToString());
        writer.WriteString("message", r.Message);
        if (r.BatchId is { } batch)
        {
            writer.WriteNumber("batch", batch);
        }
        else
        {
            writer.WriteNull("batch");
        }

        writer.WriteString("recordedAt", DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt));
        writer.WriteEndObject();
    }

    /// <summary>
    /// The trace store the common options name, with the outbox, the ledger or both: the same builder an application
    /// configures, so the choice of SQLite or PostgreSQL and of the file ledger or Ethereum is made in one place.
    /// </summary>
    private static Task<TraceStore> OpenStoreAsync(ParseResult parse, UserPseudonymizer? pseudonymizer, bool outbox, bool ledger, CancellationToken ct)
    {
        var builder = new TraceStoreBuilder().UsePseudonymizer(pseudonymizer);
        if (outbox)
        {
            if (parse.GetValue(Postgres) is { Length: > 0 } connectionString)
            {
                builder.UsePostgreSqlOutbox(connectionString);
            }
            else
            {
                builder.UseSqliteOutbox(parse.GetValue(Outbox)!);
            }
        }

        if (ledger)
        {
            if (parse.GetValue(Rpc) is { Length: > 0 } rpc)
            {
                // without IMAGINGREPO_ETH_PRIVATE_KEY the ledger only reads (record checks that a key is given)
                builder.UseEthereumLedger(new EthereumTraceLedgerOptions
                {
                    RpcUrl = new Uri(rpc), ChainId = parse.GetValue(ChainId), ContractAddress = parse.GetValue(Contract),
                    PrivateKey = Environment.GetEnvironmentVariable("IMAGINGREPO_ETH_PRIVATE_KEY"), DeploymentBlock = parse.GetValue(FromBlock),
                });
            }
            else
            {
                builder.UseFileLedger(parse.GetValue(FileLedger)!);
            }
        }

        return builder.BuildAsync(ct);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<Dictionary<string, string>>))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

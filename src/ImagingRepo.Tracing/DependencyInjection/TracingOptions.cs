using System.ComponentModel.DataAnnotations;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.DependencyInjection;

/// <summary>Configuration of <c>AddImagingRepoTracing</c> (section <c>ImagingRepo:Tracing</c> by convention).</summary>
public sealed class TracingOptions
{
    /// <summary>The configuration section the options are read from by convention.</summary>
    public const string SectionName = "ImagingRepo:Tracing";

    /// <summary>SQLite outbox file (the default store); ignored when <see cref="PostgresConnectionString"/> is set.</summary>
    public string SqlitePath { get; set; } = "traces.db";

    /// <summary>Npgsql connection string: keep the outbox in PostgreSQL instead of SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>File ledger (the default ledger); ignored when <see cref="Ethereum"/> is set.</summary>
    public string FileLedgerPath { get; set; } = "traces.ledger.jsonl";

    /// <summary>Anchor on an Ethereum-compatible chain instead of the file ledger.</summary>
    public EthereumTraceLedgerOptions? Ethereum { get; set; }

    /// <summary>Base64 of the secret key (at least 32 bytes) that turns user ids into pseudonyms.</summary>
    [Required]
    public string? PseudonymizationKey { get; set; }

    /// <summary>Batching, window and retry settings of the background dispatcher.</summary>
    public TraceDispatcherOptions Dispatcher { get; set; } = new();

    /// <summary>Run the dispatcher as a hosted service (default true).</summary>
    public bool RunDispatcher { get; set; } = true;

    internal byte[] KeyBytes()
    {
        try
        {
            return Convert.FromBase64String(PseudonymizationKey ?? "");
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("ImagingRepo tracing: PseudonymizationKey is not base64", e);
        }
    }
}

using System.ComponentModel.DataAnnotations;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.DependencyInjection;

/// <summary>Configuration of <c>AddImagingRepoTracing</c> (section <c>ImagingRepo:Tracing</c> by convention).</summary>
public sealed class TracingOptions
{
    /// <summary>The configuration section the options are read from by convention.</summary>
    public const string SectionName = "ImagingRepo:Tracing";

    /// <summary>
    /// SQLite outbox file (the default store); replaced by a plugin's outbox (<c>AddImagingRepoTracingPostgreSql</c> in
    /// ImagingRepo.Tracing.PostgreSql).
    /// </summary>
    public string SqlitePath { get; set; } = "traces.db";

    /// <summary>
    /// File ledger (the default ledger); replaced by a plugin's ledger (<c>AddImagingRepoTracingEthereum</c> in
    /// ImagingRepo.Tracing.Ethereum).
    /// </summary>
    public string FileLedgerPath { get; set; } = "traces.ledger.jsonl";

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

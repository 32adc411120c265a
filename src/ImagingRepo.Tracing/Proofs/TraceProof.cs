using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Tracing.Proofs;

/// <summary>
/// A self-contained inclusion proof of one anchored trace, exportable as JSON and checkable offline:
/// leaf = SHA3-256(0x00 || UTF-8 of <see cref="Trace"/>); for each step, node = SHA3-256(0x01 || left || right)
/// with the sibling on the side <see cref="ProofStep.Position"/> names; the result must equal <see cref="Root"/>,
/// and the root must be on the ledger (<c>batchOfRoot(root)</c> on the contract, or the file ledger's record).
/// </summary>
public sealed record TraceProof
{
    /// <summary>The format identifier written in <see cref="Format"/>.</summary>
    public const string FormatV1 = "imagingrepo-trace-proof/1";

    /// <summary>Format identifier.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = FormatV1;

    /// <summary>The trace id.</summary>
    [JsonPropertyName("traceId")] public required Guid TraceId { get; init; }

    /// <summary>The canonical trace JSON, exactly the bytes the leaf is computed over.</summary>
    [JsonPropertyName("trace")] public required string Trace { get; init; }

    /// <summary>Leaf hash (hex).</summary>
    [JsonPropertyName("leafHash")] public required string LeafHash { get; init; }

    /// <summary>Leaf index in the batch.</summary>
    [JsonPropertyName("leafIndex")] public required int LeafIndex { get; init; }

    /// <summary>Number of traces in the batch.</summary>
    [JsonPropertyName("batchSize")] public required int BatchSize { get; init; }

    /// <summary>Path from the leaf up to the root.</summary>
    [JsonPropertyName("path")] public required IReadOnlyList<ProofStep> Path { get; init; }

    /// <summary>Merkle root of the batch (hex).</summary>
    [JsonPropertyName("root")] public required string Root { get; init; }

    /// <summary>Where the root is anchored.</summary>
    [JsonPropertyName("anchor")] public required ProofAnchor Anchor { get; init; }

    /// <summary>Recomputes the root from <see cref="Trace"/> and <see cref="Path"/> and compares (no ledger access).</summary>
    public bool VerifyInclusion()
    {
        var leaf = MerkleTree.HashLeaf(Encoding.UTF8.GetBytes(Trace));
        if (!Convert.ToHexStringLower(leaf).Equals(LeafHash, StringComparison.OrdinalIgnoreCase)) return false;
        var steps = new List<MerkleStep>(Path.Count);
        foreach (var step in Path)
        {
            steps.Add(new MerkleStep(Convert.FromHexString(step.Hash), step.Position == ProofStep.Left));
        }

        return Convert.ToHexStringLower(MerkleTree.ComputeRoot(leaf, steps)).Equals(Root, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The proof as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ProofJsonContext.Default.TraceProof);

    /// <summary>Parses a proof.</summary>
    /// <param name="json">Proof JSON.</param>
    /// <exception cref="FormatException">Not a proof of a known format.</exception>
    public static TraceProof Parse(string json)
    {
        try
        {
            var proof = JsonSerializer.Deserialize(json, ProofJsonContext.Default.TraceProof) ?? throw new FormatException("proof JSON is null");
            if (proof.Format != FormatV1) throw new FormatException($"unknown proof format \"{proof.Format}\"");
            return proof;
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid proof JSON at {e.Path}: {e.Message}", e);
        }
    }
}

/// <summary>One step of an exported path.</summary>
/// <param name="Position"><see cref="Left"/> when the sibling is hashed on the left, <see cref="Right"/> otherwise.</param>
/// <param name="Hash">Sibling hash (hex).</param>
public sealed record ProofStep(
    [property: JsonPropertyName("position")] string Position,
    [property: JsonPropertyName("hash")] string Hash)
{
    /// <summary>Sibling on the left: node = H(0x01 || sibling || current).</summary>
    public const string Left = "left";

    /// <summary>Sibling on the right: node = H(0x01 || current || sibling).</summary>
    public const string Right = "right";
}

/// <summary>Where a proof's root is anchored.</summary>
/// <param name="Ledger">Ledger description (chain id and contract, or file).</param>
/// <param name="BatchNumber">Batch number on the ledger.</param>
/// <param name="Reference">Transaction hash or record hash.</param>
/// <param name="Position">Block number or record sequence.</param>
public sealed record ProofAnchor(
    [property: JsonPropertyName("ledger")] string Ledger,
    [property: JsonPropertyName("batchNumber")] long BatchNumber,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("position")] long Position);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(TraceProof))]
internal sealed partial class ProofJsonContext : JsonSerializerContext;

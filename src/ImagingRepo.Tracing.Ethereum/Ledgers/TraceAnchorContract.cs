using System.Numerics;
using System.Reflection;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>The compiled TraceAnchor contract (ABI and bytecode embedded from Contracts/TraceAnchor.json).</summary>
public static class TraceAnchorContract
{
    private static readonly Lazy<(string Abi, string Bytecode, string Compiler)> Artifact = new(Load);

    /// <summary>The contract's ABI JSON.</summary>
    public static string Abi => Artifact.Value.Abi;

    /// <summary>The creation bytecode (0x-prefixed hex).</summary>
    public static string Bytecode => Artifact.Value.Bytecode;

    /// <summary>The compiler that produced the bytecode.</summary>
    public static string Compiler => Artifact.Value.Compiler;

    /// <summary>Signature of the per-trace event.</summary>
    public const string TraceAnchoredSignature = "TraceAnchored(bytes16,bytes32,uint8,uint256)";

    /// <summary>Signature of the per-batch event.</summary>
    public const string BatchAnchoredSignature = "BatchAnchored(uint256,bytes32,uint32)";

    private static (string, string, string) Load()
    {
        using var stream = typeof(TraceAnchorContract).Assembly.GetManifestResourceStream("ImagingRepo.Tracing.Contracts.TraceAnchor.json")
            ?? throw new InvalidOperationException("TraceAnchor.json is not embedded in " + typeof(TraceAnchorContract).Assembly.GetName().Name);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return (root.GetProperty("abi").GetRawText(), root.GetProperty("bytecode").GetString()!, root.GetProperty("compiler").GetString()!);
    }
}

[Function("anchor", "uint256")]
internal sealed class AnchorFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    [Parameter("bytes16[]", "traceIds", 2)] public List<byte[]> TraceIds { get; set; } = [];
    [Parameter("uint8[]", "actions", 3)] public List<byte> Actions { get; set; } = [];
    [Parameter("uint16[]", "datasetCounts", 4)] public List<ushort> DatasetCounts { get; set; } = [];
    [Parameter("bytes32[]", "datasetKeys", 5)] public List<byte[]> DatasetKeys { get; set; } = [];
}

[Function("batchOfRoot", "uint256")]
internal sealed class BatchOfRootFunction : FunctionMessage
{
    [Parameter("bytes32", "", 1)] public byte[] Root { get; set; } = [];
}

[Function("batchOfTrace", "uint256")]
internal sealed class BatchOfTraceFunction : FunctionMessage
{
    [Parameter("bytes16", "", 1)] public byte[] TraceId { get; set; } = [];
}

[Function("batches", typeof(BatchOutput))]
internal sealed class BatchesFunction : FunctionMessage
{
    [Parameter("uint256", "", 1)] public BigInteger BatchId { get; set; }
}

[FunctionOutput]
internal sealed class BatchOutput : IFunctionOutputDTO
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    [Parameter("uint32", "count", 2)] public uint Count { get; set; }
    [Parameter("uint64", "blockNumber", 3)] public ulong BlockNumber { get; set; }
    [Parameter("address", "anchorer", 4)] public string Anchorer { get; set; } = "";
}

[Function("setAnchorer")]
internal sealed class SetAnchorerFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
    [Parameter("bool", "allowed", 2)] public bool Allowed { get; set; }
}

internal static class UuidBytes
{
    /// <summary>RFC 4122 byte order (big-endian), as the id reads in its text form.</summary>
    public static byte[] Of(Guid id) => id.ToByteArray(bigEndian: true);

    public static Guid From(ReadOnlySpan<byte> bytes) => new(bytes[..16], bigEndian: true);
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Dicom.Deidentification.Receipts;

/// <summary>
/// What was done to one instance: profile, options and table edition, counts per action, the tags acted on
/// (never their values), the output's identity and the SHA3-256 of the output file. One JSON line each.
/// </summary>
public sealed record DeidentificationReceipt
{
    /// <summary>The profile applied.</summary>
    public string Profile { get; init; } = "PS3.15 Basic Application Level Confidentiality Profile";

    /// <summary>The edition of Table E.1-1.</summary>
    public string TableEdition { get; init; } = ConfidentialityProfile.Edition;

    /// <summary>The options applied, by name.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>The CID 7050 code values written to De-identification Method Code Sequence.</summary>
    public IReadOnlyList<string> MethodCodes { get; init; } = [];

    /// <summary>The policy name, when the policy has one.</summary>
    public string? PolicyName { get; init; }

    /// <summary>The policy revision.</summary>
    public int PolicyVersion { get; init; }

    /// <summary>The public fingerprint of the pseudonymization key.</summary>
    public string KeyFingerprint { get; init; } = "";

    /// <summary><c>deidentified</c>, or <c>quarantined</c> when the output went to quarantine.</summary>
    public string Disposition { get; init; } = "deidentified";

    /// <summary>
    /// Why the instance went to quarantine (JSON <c>quarantineReason</c>), for example
    /// <c>Burned In Annotation (0028,0301) is YES</c>; null (and absent from the JSON) otherwise.
    /// </summary>
    public string? QuarantineReason { get; init; }

    /// <summary>The output path relative to the output (or quarantine) root, with forward slashes.</summary>
    public string OutputPath { get; init; } = "";

    /// <summary>The output's SOP Instance UID.</summary>
    public string OutputSopInstanceUid { get; init; } = "";

    /// <summary>The output's Study Instance UID.</summary>
    public string? OutputStudyInstanceUid { get; init; }

    /// <summary>The output's Series Instance UID.</summary>
    public string? OutputSeriesInstanceUid { get; init; }

    /// <summary>The output file length in bytes.</summary>
    public long OutputLength { get; init; }

    /// <summary>The hash algorithm of <see cref="OutputHash"/>: <c>SHA3_256</c>.</summary>
    public string OutputHashType { get; init; } = "SHA3_256";

    /// <summary>The hash of the output file, base64.</summary>
    public string OutputHash { get; init; } = "";

    /// <summary>True when pixel rectangles were blanked by a mask rule.</summary>
    public bool PixelsCleaned { get; init; }

    /// <summary>
    /// What the output's 128-byte File Preamble holds: <c>zeros</c>, or <c>policy</c> for the policy's fixed preamble; never
    /// the input's. Null in receipts written before it was recorded.
    /// </summary>
    public string? Preamble { get; init; }

    /// <summary>What the engine had to make up for the input (e.g. a SOP Instance UID it lacked), without values; null when nothing.</summary>
    public IReadOnlyList<string>? Diagnostics { get; init; }

    /// <summary>How many elements each action touched, keyed by action code (K, X, Z, D, C, U, P for pseudonym, R for replace).</summary>
    public IReadOnlyDictionary<string, int> ActionCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>The distinct tags each action touched (except K), as <c>(GGGG,EEEE)</c>, sorted.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>When the output was written.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The receipt as one line of JSON.</summary>
    /// <returns>The JSON text, without a line break.</returns>
    public string ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteJson(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes the receipt as one JSON object: by hand, the same JSON as the serializer's, without the hundred generic
    /// metadata methods a short CLI run would otherwise JIT for its first receipt.
    /// </summary>
    internal void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString(Names.Profile, Profile);
        json.WriteString(Names.TableEdition, TableEdition);
        WriteArray(json, Names.Options, Options);
        WriteArray(json, Names.MethodCodes, MethodCodes);
        WriteStringUnlessNull(json, Names.PolicyName, PolicyName);
        json.WriteNumber(Names.PolicyVersion, PolicyVersion);
        json.WriteString(Names.KeyFingerprint, KeyFingerprint);
        json.WriteString(Names.Disposition, Disposition);
        WriteStringUnlessNull(json, Names.QuarantineReason, QuarantineReason);
        json.WriteString(Names.OutputPath, OutputPath);
        json.WriteString(Names.OutputSopInstanceUid, OutputSopInstanceUid);
        WriteStringUnlessNull(json, Names.OutputStudyInstanceUid, OutputStudyInstanceUid);
        WriteStringUnlessNull(json, Names.OutputSeriesInstanceUid, OutputSeriesInstanceUid);
        json.WriteNumber(Names.OutputLength, OutputLength);
        json.WriteString(Names.OutputHashType, OutputHashType);
        json.WriteString(Names.OutputHash, OutputHash);
        json.WriteBoolean(Names.PixelsCleaned, PixelsCleaned);
        WriteStringUnlessNull(json, Names.Preamble, Preamble);
        if (Diagnostics is not null)
        {
            WriteArray(json, Names.Diagnostics, Diagnostics);
        }

        json.WriteStartObject(Names.ActionCounts);
        foreach (var (action, count) in ActionCounts)
        {
            json.WriteNumber(action, count);
        }

        json.WriteEndObject();
        json.WriteStartObject(Names.Tags);
        foreach (var (action, tags) in Tags)
        {
            json.WriteStartArray(action);
            WriteValues(json, tags);
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteString(Names.Timestamp, Timestamp);
        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, JsonEncodedText name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        WriteValues(json, values);
        json.WriteEndArray();
    }

    /// <summary>Writes the values: tag lists from their encoded texts, others by index (enumerating the interface allocates).</summary>
    private static void WriteValues(Utf8JsonWriter json, IReadOnlyList<string> values)
    {
        if (values is ReceiptTagList tags)
        {
            tags.WriteValues(json);
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            json.WriteStringValue(values[i]);
        }
    }

    private static void WriteStringUnlessNull(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The property names, encoded once rather than transcoded and checked for escapes in every receipt.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Profile = JsonEncodedText.Encode("profile");
        public static readonly JsonEncodedText TableEdition = JsonEncodedText.Encode("tableEdition");
        public static readonly JsonEncodedText Options = JsonEncodedText.Encode("options");
        public static readonly JsonEncodedText MethodCodes = JsonEncodedText.Encode("methodCodes");
        public static readonly JsonEncodedText PolicyName = JsonEncodedText.Encode("policyName");
        public static readonly JsonEncodedText PolicyVersion = JsonEncodedText.Encode("policyVersion");
        public static readonly JsonEncodedText KeyFingerprint = JsonEncodedText.Encode("keyFingerprint");
        public static readonly JsonEncodedText Disposition = JsonEncodedText.Encode("disposition");
        public static readonly JsonEncodedText QuarantineReason = JsonEncodedText.Encode("quarantineReason");
        public static readonly JsonEncodedText OutputPath = JsonEncodedText.Encode("outputPath");
        public static readonly JsonEncodedText OutputSopInstanceUid = JsonEncodedText.Encode("outputSopInstanceUid");
        public static readonly JsonEncodedText OutputStudyInstanceUid = JsonEncodedText.Encode("outputStudyInstanceUid");
        public static readonly JsonEncodedText OutputSeriesInstanceUid = JsonEncodedText.Encode("outputSeriesInstanceUid");
        public static readonly JsonEncodedText OutputLength = JsonEncodedText.Encode("outputLength");
        public static readonly JsonEncodedText OutputHashType = JsonEncodedText.Encode("outputHashType");
        public static readonly JsonEncodedText OutputHash = JsonEncodedText.Encode("outputHash");
        public static readonly JsonEncodedText PixelsCleaned = JsonEncodedText.Encode("pixelsCleaned");
        public static readonly JsonEncodedText Preamble = JsonEncodedText.Encode("preamble");
        public static readonly JsonEncodedText Diagnostics = JsonEncodedText.Encode("diagnostics");
        public static readonly JsonEncodedText ActionCounts = JsonEncodedText.Encode("actionCounts");
        public static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    }

    /// <summary>Reads a receipt from one JSON line.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="JsonException">The line is not a receipt.</exception>
    public static DeidentificationReceipt FromJsonLine(string line) =>
        JsonSerializer.Deserialize(line, ReceiptJsonContext.Default.DeidentificationReceipt) ?? throw new JsonException("null receipt");
}

/// <summary>
/// Receipt JSON generated at build time: reflection-based serialization would cost the CLI about a tenth of a second of
/// start-up (Reflection.Emit accessors, JIT) on every run.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeidentificationReceipt))]
[JsonSerializable(typeof(ReidentificationJournal.JournalLine))]
internal sealed partial class ReceiptJsonContext : JsonSerializerContext;

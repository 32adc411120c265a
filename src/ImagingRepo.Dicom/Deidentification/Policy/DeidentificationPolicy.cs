using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ImagingRepo.Dicom.Deidentification.Policy;

/// <summary>
/// A project's declarative de-identification policy (JSON, versioned): the options, pseudonym formats,
/// per-attribute overrides, the private-attribute allow-list and what to do with burned-in annotation.
/// </summary>
/// <example>
/// <code language="json">
/// {
///   "version": 2,
///   "name": "prostate-mri",
///   "options": ["RetainLongitudinalModifiedDates", "RetainPatientCharacteristics", "RetainSafePrivate"],
///   "pseudonyms": { "patientIdFormat": "PRST-{hash:12}", "dateShiftMinDays": -730, "dateShiftMaxDays": -30 },
///   "overrides": [ { "tag": "(0008,1030)", "action": "keep" },
///                  { "tag": "(0012,0071)", "action": "replace", "value": "BASELINE" } ],
///   "privateAllowList": [ { "creator": "SIEMENS MR HEADER", "element": "0x0C" } ],
///   "burnedIn": { "allow": false }
/// }
/// </code>
/// </example>
public sealed record DeidentificationPolicy
{
    /// <summary>The policy schema version this library reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The policy's own revision, recorded in every receipt (1 or more).</summary>
    public int Version { get; init; } = 1;

    /// <summary>A name for receipts and logs.</summary>
    public string? Name { get; init; }

    /// <summary>The profile options applied on top of the Basic Profile.</summary>
    public DeidentificationOptions Options { get; init; }

    /// <summary>Pseudonym formats and the date-shift range.</summary>
    public PseudonymSettings Pseudonyms { get; init; } = new();

    /// <summary>Per-attribute overrides applied after the profile and its options (at every sequence depth).</summary>
    public IReadOnlyList<AttributeOverride> Overrides { get; init; } = [];

    /// <summary>Private attributes kept under the Retain Safe Private option; all others are removed.</summary>
    public IReadOnlyList<SafePrivateAttribute> PrivateAllowList { get; init; } = [];

    /// <summary>Handling of instances that may carry burned-in identifying text.</summary>
    public BurnedInPolicy BurnedIn { get; init; } = new();

    /// <summary>Rectangles blanked in uncompressed pixel data, chosen by rule.</summary>
    public IReadOnlyList<PixelMaskRule> PixelMasks { get; init; } = [];

    /// <summary>
    /// The 128-byte File Preamble of every output (base64 in JSON); when empty, the default, 128 zero bytes. The input's
    /// preamble is never copied: sending systems leave text there (AE titles, device names) that no attribute rule reaches.
    /// </summary>
    public ReadOnlyMemory<byte> Preamble { get; init; }

    /// <summary>Code meanings under private or unknown coding schemes: replaced unless kept, and which schemes are standard.</summary>
    public CodeMeaningPolicy CodeMeanings { get; init; } = new();

    /// <summary>
    /// The Basic Profile with default settings: no option, no overrides, no private allow-list, no pixel masks, and
    /// instances that may show burned-in text sent to quarantine. What an engine created without a policy uses.
    /// </summary>
    public static DeidentificationPolicy Default { get; } = new();

    /// <summary>Creates the Basic Profile with default settings and no overrides.</summary>
    public DeidentificationPolicy()
    {
    }

    // The JSON binds to this constructor: source-generated deserialization sets every init-only property it binds,
    // so members absent from a policy would lose their defaults (dotnet/runtime#84484); parameters keep them.
    [JsonConstructor]
    internal DeidentificationPolicy(int version = 1, string? name = null, DeidentificationOptions options = default,
        PseudonymSettings? pseudonyms = null, IReadOnlyList<AttributeOverride>? overrides = null,
        IReadOnlyList<SafePrivateAttribute>? privateAllowList = null, BurnedInPolicy? burnedIn = null,
        IReadOnlyList<PixelMaskRule>? pixelMasks = null, ReadOnlyMemory<byte> preamble = default, CodeMeaningPolicy? codeMeanings = null)
    {
        Version = version;
        Name = name;
        Options = options;
        Pseudonyms = pseudonyms ?? Pseudonyms;
        Overrides = overrides ?? Overrides;
        PrivateAllowList = privateAllowList ?? PrivateAllowList;
        BurnedIn = burnedIn ?? BurnedIn;
        PixelMasks = pixelMasks ?? PixelMasks;
        Preamble = preamble;
        CodeMeanings = codeMeanings ?? CodeMeanings;
    }

    /// <summary>The length of the File Preamble (PS3.10 7.1).</summary>
    public const int PreambleLength = 128;

    // source-generated metadata (no reflection), so that policies load in trimmed and native-AOT builds too
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters =
        {
            new DeidentificationOptionsJsonConverter(),
            new JsonStringEnumConverter<OverrideAction>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
        },
        TypeInfoResolver = PolicyJsonContext.Default,
    };

    private static readonly JsonTypeInfo<DeidentificationPolicy> PolicyTypeInfo =
        (JsonTypeInfo<DeidentificationPolicy>)SerializerOptions.GetTypeInfo(typeof(DeidentificationPolicy));

    /// <summary>Reads and validates a policy file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="DeidentificationPolicyException">The file is not a valid policy; the message says where.</exception>
    public static DeidentificationPolicy Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeidentificationPolicyException($"Policy '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates a policy.</summary>
    /// <param name="json">The policy JSON.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="DeidentificationPolicyException">The JSON is not a valid policy; the message says where.</exception>
    public static DeidentificationPolicy Parse(string json, string source = "policy")
    {
        DeidentificationPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize(json, PolicyTypeInfo);
        }
        catch (JsonException e)
        {
            throw new DeidentificationPolicyException(
                $"{source}: invalid policy at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}", e);
        }

        if (policy is null)
        {
            throw new DeidentificationPolicyException($"{source}: the policy is null.");
        }

        policy.Validate(source);
        return policy;
    }

    /// <summary>The policy as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, PolicyTypeInfo);

    /// <summary>Checks the policy for contradictions and out-of-range values.</summary>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <exception cref="DeidentificationPolicyException">Something is invalid; the message says what.</exception>
    public void Validate(string source = "policy")
    {
        if (Version < 1)
        {
            throw new DeidentificationPolicyException($"{source}: version must be 1 or more (got {Version}).");
        }

        if ((Options & DeidentificationOptions.RetainLongitudinalFullDates) != 0
            && (Options & DeidentificationOptions.RetainLongitudinalModifiedDates) != 0)
        {
            throw new DeidentificationPolicyException(
                $"{source}: RetainLongitudinalFullDates and RetainLongitudinalModifiedDates exclude each other.");
        }

        try
        {
            (Pseudonyms ?? throw new ArgumentException("pseudonyms is null")).Validate();
        }
        catch (ArgumentException e)
        {
            throw new DeidentificationPolicyException($"{source}: pseudonyms: {e.Message}", e);
        }

        var seen = new HashSet<uint>();
        for (var i = 0; i < Overrides.Count; i++)
        {
            var o = Overrides[i];
            if (!DicomTag.TryParse(o.Tag, out var tag))
            {
                throw new DeidentificationPolicyException($"{source}: overrides[{i}].tag '{o.Tag}' is not a tag like (0008,1030).");
            }

            if (!seen.Add(tag.Value))
            {
                throw new DeidentificationPolicyException($"{source}: overrides[{i}]: {o.Tag} is overridden twice.");
            }

            if ((o.Action == OverrideAction.Replace) != (o.Value is not null))
            {
                throw new DeidentificationPolicyException(
                    $"{source}: overrides[{i}] ({o.Tag}): 'value' is required with action replace and only there.");
            }

            if (tag.Group is 0x0002 or 0xFFFE || tag == DicomTags.PixelData)
            {
                throw new DeidentificationPolicyException(
                    $"{source}: overrides[{i}]: {o.Tag} (file meta, item or pixel data) cannot be overridden.");
            }
        }

        for (var i = 0; i < PrivateAllowList.Count; i++)
        {
            var p = PrivateAllowList[i];
            if (string.IsNullOrWhiteSpace(p.Creator))
            {
                throw new DeidentificationPolicyException($"{source}: privateAllowList[{i}].creator is empty.");
            }

            if (!p.TryGetElementOffset(out _))
            {
                throw new DeidentificationPolicyException(
                    $"{source}: privateAllowList[{i}].element '{p.Element}' must be the element byte within the block, 0x00-0xFF.");
            }

            if (p.Group is not null && (!TryParseHex16(p.Group, out var group) || !new DicomTag((ushort)group, 0).IsPrivate))
            {
                throw new DeidentificationPolicyException($"{source}: privateAllowList[{i}].group '{p.Group}' is not an odd group above 0008.");
            }
        }

        if (!Preamble.IsEmpty && Preamble.Length != PreambleLength)
        {
            throw new DeidentificationPolicyException(
                $"{source}: preamble must be exactly {PreambleLength} bytes (base64 in JSON) or absent for zeros; it has {Preamble.Length}.");
        }

        (CodeMeanings ?? throw new DeidentificationPolicyException($"{source}: codeMeanings is null.")).Validate(source);

        for (var i = 0; i < PixelMasks.Count; i++)
        {
            var rule = PixelMasks[i];
            if (rule.Rectangles.Count == 0)
            {
                throw new DeidentificationPolicyException($"{source}: pixelMasks[{i}] has no rectangles.");
            }

            foreach (var r in rule.Rectangles)
            {
                if (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0)
                {
                    throw new DeidentificationPolicyException($"{source}: pixelMasks[{i}] has a rectangle with a negative origin or an empty size.");
                }
            }
        }
    }

    internal static bool TryParseHex16(string text, out int value)
    {
        var span = text.AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }

        return int.TryParse(span, System.Globalization.NumberStyles.AllowHexSpecifier,
            System.Globalization.CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 0xFFFF;
    }
}

/// <summary>What an override does to an attribute.</summary>
public enum OverrideAction
{
    /// <summary>Keep the attribute unchanged, whatever the profile says.</summary>
    Keep,

    /// <summary>Remove the attribute, whatever the profile says.</summary>
    Remove,

    /// <summary>Replace the attribute's value with <see cref="AttributeOverride.Value"/>.</summary>
    Replace,
}

/// <summary>A per-attribute override of the profile.</summary>
/// <param name="Tag">The tag as <c>(gggg,eeee)</c> or <c>ggggeeee</c>, or a keyword of the data dictionary (<see cref="DicomTag.TryParse"/>).</param>
/// <param name="Action">What to do.</param>
/// <param name="Value">The new value (string form, backslash between values) for <see cref="OverrideAction.Replace"/>.</param>
public sealed record AttributeOverride(string Tag, OverrideAction Action, string? Value = null);

/// <summary>A private attribute judged safe: kept under the Retain Safe Private option.</summary>
/// <param name="Creator">The private creator string of the block, e.g. <c>SIEMENS MR HEADER</c>.</param>
/// <param name="Element">The element byte within the block (the <c>ee</c> of <c>(gggg,xxee)</c>), e.g. <c>0x0C</c>.</param>
/// <param name="Group">The odd group, e.g. <c>0x0019</c>; any group when null.</param>
public sealed record SafePrivateAttribute(string Creator, string Element, string? Group = null)
{
    internal bool TryGetElementOffset(out int offset) =>
        DeidentificationPolicy.TryParseHex16(Element, out offset) && offset <= 0xFF;
}

/// <summary>What to do with instances that may show identifying text in their pixels.</summary>
public sealed record BurnedInPolicy
{
    /// <summary>Instances of a possible burned-in kind go to quarantine; no modality is let through.</summary>
    public BurnedInPolicy()
    {
    }

    // the JSON binds here so that absent members keep their defaults (see DeidentificationPolicy's constructor)
    [JsonConstructor]
    internal BurnedInPolicy(bool allow = false, IReadOnlyList<string>? allowModalities = null)
    {
        Allow = allow;
        AllowModalities = allowModalities ?? AllowModalities;
    }

    /// <summary>
    /// When true, instances flagged BurnedInAnnotation = YES or of a high-risk kind are de-identified into the
    /// output like any other; when false (the default) they go to quarantine with the reason.
    /// </summary>
    public bool Allow { get; init; }

    /// <summary>Modalities let through although of a high-risk kind (e.g. <c>US</c> when the site scrubs them upstream).</summary>
    public IReadOnlyList<string> AllowModalities { get; init; } = [];
}

/// <summary>A rule that blanks rectangles of uncompressed pixel data, for instances matching every given criterion.</summary>
public sealed record PixelMaskRule
{
    /// <summary>A rule that matches every instance and blanks nothing until rectangles are given.</summary>
    public PixelMaskRule()
    {
    }

    // the JSON binds here so that absent members keep their defaults (see DeidentificationPolicy's constructor)
    [JsonConstructor]
    internal PixelMaskRule(string? modality = null, string? manufacturer = null, int? rows = null, int? columns = null,
        IReadOnlyList<PixelRectangle>? rectangles = null)
    {
        Modality = modality;
        Manufacturer = manufacturer;
        Rows = rows;
        Columns = columns;
        Rectangles = rectangles ?? Rectangles;
    }

    /// <summary>Modality (0008,0060) to match; any when null.</summary>
    public string? Modality { get; init; }

    /// <summary>Manufacturer (0008,0070) to match, case-insensitive; any when null.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>Rows (0028,0010) to match; any when null.</summary>
    public int? Rows { get; init; }

    /// <summary>Columns (0028,0011) to match; any when null.</summary>
    public int? Columns { get; init; }

    /// <summary>The rectangles to blank, in pixel coordinates of every frame.</summary>
    public IReadOnlyList<PixelRectangle> Rectangles { get; init; } = [];
}

/// <summary>A rectangle of pixels.</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct PixelRectangle(int X, int Y, int Width, int Height);

/// <summary>A de-identification policy is invalid; the message says what and where.</summary>
public sealed class DeidentificationPolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeidentificationPolicyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DeidentificationPolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public DeidentificationPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Source-generated JSON metadata of the policy types; the converters and settings come from the policy's options.</summary>
[JsonSerializable(typeof(DeidentificationPolicy))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;

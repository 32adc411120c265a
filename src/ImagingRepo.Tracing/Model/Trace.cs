using System.Text.Json.Serialization;

namespace ImagingRepo.Tracing.Model;

/// <summary>
/// A trace, with the CHAIMELEON tracer V1's field names and spellings (the tracers' own shapes are read and written by
/// <see cref="Compatibility.TracerWireSerializer"/>, <see cref="Compatibility.TracerV1Mapper"/> and
/// <see cref="Compatibility.TracerV2Mapper"/>). Each user action has its own record type; the JSON
/// discriminator is <c>userAction</c>. Traces carry only ids and hashes: <see cref="UserId"/> is replaced by a
/// keyed pseudonym before a trace is stored (see <see cref="Privacy.UserPseudonymizer"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "userAction", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(CreateDatasetTrace), "CREATE_DATASET")]
[JsonDerivedType(typeof(UpdateDatasetTrace), "UPDATE_DATASET")]
[JsonDerivedType(typeof(UseDatasetsTrace), "USE_DATASETS")]
[JsonDerivedType(typeof(CreateModelTrace), "CREATE_MODEL")]
[JsonDerivedType(typeof(UseModelsTrace), "USE_MODELS")]
public abstract record Trace
{
    /// <summary>The trace format version written by this library.</summary>
    public const string V1 = "V1";

    /// <summary>Unique id of the trace (<c>id</c>); anchoring is idempotent on it.</summary>
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-10)]
    public required Guid Id { get; init; }

    /// <summary>The service or client that emitted the trace (<c>callerId</c>).</summary>
    [JsonPropertyName("callerId")]
    [JsonPropertyOrder(-9)]
    public required string CallerId { get; init; }

    /// <summary>Format version (<c>version</c>), <see cref="V1"/>.</summary>
    [JsonPropertyName("version")]
    [JsonPropertyOrder(-8)]
    public string Version
    {
        get => _version;
        init => _version = value ?? V1; // absent in JSON: V1
    }

    private readonly string _version = V1;

    /// <summary>When the action happened, in milliseconds since the Unix epoch (<c>timestamp</c>).</summary>
    [JsonPropertyName("timestamp")]
    [JsonPropertyOrder(-7)]
    public required long Timestamp { get; init; }

    /// <summary>The acting user (<c>userId</c>): a keyed pseudonym once the trace is recorded.</summary>
    [JsonPropertyName("userId")]
    [JsonPropertyOrder(-6)]
    public required string UserId { get; init; }

    /// <summary>The action this trace records (the JSON discriminator <c>userAction</c>).</summary>
    /// <remarks>
    /// Every override repeats <c>[JsonIgnore]</c>: the serializer's metadata is built per derived type and does not
    /// inherit the attribute, and without it the canonical JSON carried a stray <c>"UserAction"</c> (see
    /// <see cref="TraceCanonicalForm.Original"/>).
    /// </remarks>
    [JsonIgnore]
    public abstract TraceUserAction UserAction { get; }

    /// <summary>The dataset ids this trace concerns, for ledger indexing (may be empty).</summary>
    [JsonIgnore]
    public abstract IReadOnlyList<string> ReferencedDatasetIds { get; }
}

/// <summary>A hashed resource of a trace (<c>traceResources[]</c>): e.g. <c>index</c>, <c>clinicalData</c>, <c>images</c>.</summary>
/// <param name="Id">Resource name (<c>id</c>).</param>
/// <param name="ContentHash">Base64 digest (<c>contentHash</c>).</param>
/// <param name="ContentHashType">Digest algorithm (<c>contentHashType</c>).</param>
public sealed record TraceResource(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("contentHash")] string ContentHash,
    [property: JsonPropertyName("contentHashType")] TraceHashType ContentHashType);

/// <summary>The tool that used a dataset or model (<c>tool</c>).</summary>
/// <param name="Name">Tool name (<c>name</c>); the CHAIMELEON tracer stores null when the caller gave none.</param>
/// <param name="Version">Tool version (<c>version</c>); null as for <paramref name="Name"/>.</param>
public sealed record TraceTool(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("version")] string? Version);

/// <summary><c>CREATE_DATASET</c>: a dataset and the hashes of its content.</summary>
public sealed record CreateDatasetTrace : Trace
{
    /// <summary>The new dataset (<c>datasetId</c>).</summary>
    [JsonPropertyName("datasetId")]
    public required string DatasetId { get; init; }

    /// <summary>Content hashes: <c>index</c>, <c>clinicalData</c> and <c>images</c> (<c>traceResources</c>).</summary>
    [JsonPropertyName("traceResources")]
    public required IReadOnlyList<TraceResource> TraceResources { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override TraceUserAction UserAction => TraceUserAction.CreateDataset;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> ReferencedDatasetIds => [DatasetId];
}

/// <summary><c>UPDATE_DATASET</c>: a change of state or metadata of a dataset.</summary>
public sealed record UpdateDatasetTrace : Trace
{
    /// <summary>The dataset (<c>datasetId</c>).</summary>
    [JsonPropertyName("datasetId")]
    public required string DatasetId { get; init; }

    /// <summary>What changed (<c>details</c>).</summary>
    [JsonPropertyName("details")]
    public required TraceUpdateDetails Details { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override TraceUserAction UserAction => TraceUserAction.UpdateDataset;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> ReferencedDatasetIds => [DatasetId];
}

/// <summary><c>USE_DATASETS</c>: datasets used by a tool (e.g. a job).</summary>
public sealed record UseDatasetsTrace : Trace
{
    /// <summary>The datasets used (<c>datasetsIds</c>).</summary>
    [JsonPropertyName("datasetsIds")]
    public required IReadOnlyList<string> DatasetsIds { get; init; }

    /// <summary>The tool that used them (<c>tool</c>), when known.</summary>
    [JsonPropertyName("tool")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TraceTool? Tool { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override TraceUserAction UserAction => TraceUserAction.UseDatasets;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> ReferencedDatasetIds => DatasetsIds;
}

/// <summary><c>CREATE_MODEL</c>: a model, the datasets it came from and its hashes.</summary>
public sealed record CreateModelTrace : Trace
{
    /// <summary>The new model (<c>modelId</c>).</summary>
    [JsonPropertyName("modelId")]
    public required string ModelId { get; init; }

    /// <summary>
    /// The application that created the model (<c>applicationId</c>), when known: the CHAIMELEON tracer requires it
    /// of model traces, so a trace without it cannot be sent there.
    /// </summary>
    [JsonPropertyName("applicationId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApplicationId { get; init; }

    /// <summary>Datasets the model was trained on (<c>datasetsIds</c>), when known.</summary>
    [JsonPropertyName("datasetsIds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DatasetsIds { get; init; }

    /// <summary>Content hashes of the model files (<c>traceResources</c>), when known.</summary>
    [JsonPropertyName("traceResources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TraceResource>? TraceResources { get; init; }

    /// <summary>The tool that produced it (<c>tool</c>), when known.</summary>
    [JsonPropertyName("tool")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TraceTool? Tool { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override TraceUserAction UserAction => TraceUserAction.CreateModel;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> ReferencedDatasetIds => DatasetsIds ?? [];
}

/// <summary><c>USE_MODELS</c>: models used (e.g. for inference), possibly on datasets.</summary>
public sealed record UseModelsTrace : Trace
{
    /// <summary>The models used (<c>modelsIds</c>).</summary>
    [JsonPropertyName("modelsIds")]
    public required IReadOnlyList<string> ModelsIds { get; init; }

    /// <summary>
    /// The application that used them (<c>applicationId</c>), when known: the CHAIMELEON tracer requires it of model
    /// traces, so a trace without it cannot be sent there.
    /// </summary>
    [JsonPropertyName("applicationId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApplicationId { get; init; }

    /// <summary>Datasets the models were applied to (<c>datasetsIds</c>), when any.</summary>
    [JsonPropertyName("datasetsIds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DatasetsIds { get; init; }

    /// <summary>The tool that used them (<c>tool</c>), when known.</summary>
    [JsonPropertyName("tool")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TraceTool? Tool { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override TraceUserAction UserAction => TraceUserAction.UseModels;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<string> ReferencedDatasetIds => DatasetsIds ?? [];
}

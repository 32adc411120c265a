using System.Text.Json.Serialization;

namespace ImagingRepo.Tracing.Model;

/// <summary>What a user did, as the tracer V1 names it (<c>userAction</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TraceUserAction>))]
public enum TraceUserAction
{
    /// <summary><c>CREATE_DATASET</c>: a dataset was created (carries the dataset's content hashes).</summary>
    [JsonStringEnumMemberName("CREATE_DATASET")] CreateDataset = 1,

    /// <summary><c>UPDATE_DATASET</c>: a dataset's state or metadata changed (see <see cref="TraceUpdateDetails"/>).</summary>
    [JsonStringEnumMemberName("UPDATE_DATASET")] UpdateDataset = 2,

    /// <summary><c>USE_DATASETS</c>: one or more datasets were used by a tool.</summary>
    [JsonStringEnumMemberName("USE_DATASETS")] UseDatasets = 3,

    /// <summary><c>CREATE_MODEL</c>: a model was created (typically trained on datasets).</summary>
    [JsonStringEnumMemberName("CREATE_MODEL")] CreateModel = 4,

    /// <summary><c>USE_MODELS</c>: one or more models were used.</summary>
    [JsonStringEnumMemberName("USE_MODELS")] UseModels = 5,
}

/// <summary>What changed in an <c>UPDATE_DATASET</c> trace (<c>details</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TraceUpdateDetails>))]
public enum TraceUpdateDetails
{
    /// <summary><c>RELEASE</c>: Draft to Released.</summary>
    [JsonStringEnumMemberName("RELEASE")] Release = 1,

    /// <summary><c>PUBLISH</c>: Released to Published.</summary>
    [JsonStringEnumMemberName("PUBLISH")] Publish,

    /// <summary><c>UNPUBLISH</c>: Published back to Released.</summary>
    [JsonStringEnumMemberName("UNPUBLISH")] Unpublish,

    /// <summary><c>INVALIDATE</c>: the dataset was invalidated.</summary>
    [JsonStringEnumMemberName("INVALIDATE")] Invalidate,

    /// <summary><c>REACTIVATE</c>: an invalidated dataset was reactivated.</summary>
    [JsonStringEnumMemberName("REACTIVATE")] Reactivate,

    /// <summary><c>LICENSE_UPDATED</c>.</summary>
    [JsonStringEnumMemberName("LICENSE_UPDATED")] LicenseUpdated,

    /// <summary><c>PID_UPDATED</c>.</summary>
    [JsonStringEnumMemberName("PID_UPDATED")] PidUpdated,

    /// <summary><c>CONTACT_INFORMATION_UPDATED</c>.</summary>
    [JsonStringEnumMemberName("CONTACT_INFORMATION_UPDATED")] ContactInformationUpdated,

    /// <summary><c>AUTHOR_CHANGED</c>.</summary>
    [JsonStringEnumMemberName("AUTHOR_CHANGED")] AuthorChanged,
}

/// <summary>Hash algorithm of a <see cref="TraceResource"/> (<c>contentHashType</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TraceHashType>))]
public enum TraceHashType
{
    /// <summary><c>SHA3_256</c>.</summary>
    [JsonStringEnumMemberName("SHA3_256")] Sha3_256 = 1,

    /// <summary><c>SHA3_512</c>.</summary>
    [JsonStringEnumMemberName("SHA3_512")] Sha3_512 = 2,
}

using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Privacy;

namespace ImagingRepo.Tracing.Tests;

/// <summary>Trace factories and the personal data the privacy checks look for.</summary>
internal static class TestTraces
{
    public const string Email = "maria.garcia@hospital-example.org";
    public const string Username = "mgarcia-radiology";

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static UserPseudonymizer Pseudonymizer { get; } = new(Key);

    public static CreateDatasetTrace Create(string datasetId, string user = Email, Guid? id = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        CallerId = "dataset-service",
        Timestamp = 1_700_000_000_000,
        UserId = user,
        DatasetId = datasetId,
        TraceResources =
        [
            new TraceResource("index", Convert.ToBase64String(new byte[32]), TraceHashType.Sha3_256),
            new TraceResource("images", Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()), TraceHashType.Sha3_256),
        ],
    };

    public static UpdateDatasetTrace Update(string datasetId, TraceUpdateDetails details = TraceUpdateDetails.Release, string user = Username) => new()
    {
        Id = Guid.NewGuid(),
        CallerId = "dataset-service",
        Timestamp = 1_700_000_000_500,
        UserId = user,
        DatasetId = datasetId,
        Details = details,
    };

    public static UseDatasetsTrace Use(params string[] datasetIds) => new()
    {
        Id = Guid.NewGuid(),
        CallerId = "jobman",
        Timestamp = 1_700_000_001_000,
        UserId = Username,
        DatasetsIds = datasetIds,
        Tool = new TraceTool("nnunet", "2.5"),
    };
}

namespace ImagingRepo.Client.Tests.Support;

/// <summary>
/// The reference service with its durable creation pipeline over a local-folder lake: datasets are laid out under its
/// data folder's <c>datasets</c> and their CREATE_DATASET traces carry the hashes of what it read from <see cref="LakePath"/>.
/// </summary>
public sealed class LakeReferenceService : ReferenceService
{
    private static readonly string Lake = Path.Combine(Path.GetTempPath(), "imagingrepo-client-lake-" + Guid.NewGuid().ToString("N"));

    public LakeReferenceService() : base(CreateLake())
    {
    }

    /// <summary>The lake folder the service reads studies from.</summary>
    public string LakePath => Lake;

    /// <summary>The folder of a created dataset.</summary>
    public string DatasetPath(string id) => Path.Combine(DataDirectory, "datasets", id);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Lake)) Directory.Delete(Lake, recursive: true);
    }

    private static string CreateLake()
    {
        Directory.CreateDirectory(Lake);
        return Lake;
    }
}

namespace ImagingRepo.Client.Tests.Support;

/// <summary>
/// The reference service with its durable creation pipeline over a local-folder lake of its own: datasets are laid out
/// under its data folder's <c>datasets</c> and their CREATE_DATASET traces carry the hashes of what it read from <see cref="LakePath"/>.
/// </summary>
public sealed class LakeReferenceService() : ReferenceService(NewLake())
{
    /// <summary>The lake folder the service reads studies from.</summary>
    public string LakePath => DataLakePath!;

    /// <summary>The folder of a created dataset.</summary>
    public string DatasetPath(string id) => Path.Combine(DataDirectory, "datasets", id);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(LakePath)) Directory.Delete(LakePath, recursive: true);
    }

    private static string NewLake() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "imagingrepo-client-lake-" + Guid.NewGuid().ToString("N"))).FullName;
}

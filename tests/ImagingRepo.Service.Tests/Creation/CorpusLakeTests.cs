using System.Text.Json;
using ImagingRepo.Client.Storage;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Run;
using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Hashing;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// The whole shared corpus — every transfer syntax, SR, RT, SEG, odd character sets — de-identified into a lake and made
/// one dataset, from the folder and from a Ceph RGW bucket the Client uploaded the same lake to.
/// </summary>
public sealed class CorpusLakeTests(CephLakeCopy ceph) : IClassFixture<CephLakeCopy>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("imagingrepo-corpus-lake-");

    public void Dispose() => _root.Delete(recursive: true);

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Every_study_the_corpus_yields_goes_into_one_dataset_whose_hashes_DatasetHasher_confirms(LakeKind kind)
    {
        if (kind == LakeKind.Ceph) ceph.Server.Require();
        var lakePath = Path.Combine(_root.FullName, "lake");
        var summary = await new DeidentificationRun(new DeidentificationRunOptions
        {
            Inputs = [TestEnvironment.RequireDicomCorpus()],
            OutputRoot = lakePath,
            Key = new DeidentificationKey(Enumerable.Repeat((byte)7, 32).ToArray()),
            MaxDegreeOfParallelism = 2,
        }).RunAsync();
        File.Delete(summary.ReceiptsPath);
        var studies = (
            from subject in Directory.GetDirectories(lakePath).Order(StringComparer.Ordinal)
            from study in Directory.GetDirectories(subject).Order(StringComparer.Ordinal)
            select new SelectedStudy
            {
                StudyId = Path.GetFileName(study)[^12..],
                StudyName = "corpus",
                SubjectName = Path.GetFileName(subject),
                PathInDatalake = Path.GetRelativePath(lakePath, study),
                Series = [.. Directory.GetDirectories(study).Order(StringComparer.Ordinal).Select(s => new SelectedSeries(Path.GetFileName(s), []))],
                Url = "",
            }).ToList();
        Assert.True(studies.Count >= 10, $"the corpus gave only {studies.Count} studies");
        var request = new DatasetCreationRequest { DatasetId = Guid.NewGuid().ToString(), AuthorId = "corpus", Studies = studies };
        var datasets = Directory.CreateDirectory(Path.Combine(_root.FullName, "datasets")).FullName;

        IDataLake dataLake = new LocalFolderDataLake(lakePath);
        if (kind == LakeKind.Ceph)
        {
            // the bucket's mount in the pods is played by the folder the same files were uploaded from
            var storage = new S3DataLakeStorage(ceph.Options, null);
            await storage.EnsureBucketAsync();
            ceph.MarkBucketMade();
            var upload = await new DataLakeFolderUploader(storage).UploadAsync(lakePath, "");
            Assert.True(upload.Succeeded, string.Join("; ", upload.Failures.Select(f => f.Key + ": " + f.Reason)));
            dataLake = new ObjectStoreDataLake(storage, lakePath, ownsStorage: true);
        }

        var result = await new DatasetCreator(dataLake, datasets, 2).CreateAsync(request);
        (dataLake as IDisposable)?.Dispose();

        Assert.Equal(studies.Count, result.Metadata.StudiesCount);
        Assert.Equal(studies.Select(s => s.SubjectName).Distinct().Count(), result.Metadata.SubjectsCount);
        Assert.Equal(studies.Count, result.Metadata.Sex.Sum(s => s.Count));
        Assert.Contains(result.Metadata.Modality, m => m.Value == "CT");
        Assert.True(result.Metadata.Modality.Count >= 4, string.Join(", ", result.Metadata.Modality));
        Assert.Empty(result.PrunedSeries);
        var tree = await DatasetHasher.ComputeAsync(Path.Combine(datasets, request.DatasetId));
        Assert.Equal(Convert.ToBase64String(tree.Images), result.ImagesHash);
        Assert.Equal(tree.Studies.Sum(s => s.Series.Sum(r => r.FileCount)), Directory.GetFiles(lakePath, "*.dcm", SearchOption.AllDirectories).Length);
        using var eforms = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(datasets, request.DatasetId, "eforms.json")));
        Assert.Equal(0, eforms.RootElement.GetArrayLength());
    }
}

using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Tests.DicomWeb;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Upload;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.Upload;

/// <summary><see cref="DeidentifyingUploader"/> against Ceph RGW: de-identified outputs only reach the lake, batch by batch, and a rerun sends nothing again.</summary>
public sealed class DeidentifyingUploaderTests(CephServer server) : IClassFixture<CephServer>, IAsyncLifetime
{
    private const string PatientName = "GARCIA^MARIA";
    private readonly string _bucket = "client-deid-" + Guid.NewGuid().ToString("N")[..20];
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-deid-upload-");
    private S3DataLakeStorage? _lake;

    public async Task InitializeAsync()
    {
        if (!server.IsAvailable) return;
        _lake = new S3DataLakeStorage(new S3DataLakeOptions
        {
            ServiceUrl = new Uri(server.Endpoint), Bucket = _bucket, AccessKey = server.AccessKey, SecretKey = server.SecretKey,
        }, null);
        await _lake.EnsureBucketAsync();
    }

    public async Task DisposeAsync()
    {
        if (_lake is not null)
        {
            await foreach (var item in _lake.ListAsync("")) await _lake.DeleteAsync(item.Key);
            using var raw = S3DataLakeStorage.CreateClient(new S3DataLakeOptions
            {
                ServiceUrl = new Uri(server.Endpoint), Bucket = _bucket, AccessKey = server.AccessKey, SecretKey = server.SecretKey,
            });
            await raw.DeleteBucketAsync(_bucket);
            _lake.Dispose();
        }

        _temp.Delete(recursive: true);
    }

    [SkippableFact]
    public async Task Inputs_are_deidentified_in_batches_uploaded_and_not_sent_again_on_a_rerun()
    {
        server.Require();
        var input = Directory.CreateDirectory(Path.Combine(_temp.FullName, "export")).FullName;
        var (studyUid, seriesUid) = (MinimalDicomFile.NewUid(), MinimalDicomFile.NewUid());
        for (var i = 0; i < 5; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(input, $"series-{i % 2}")).FullName;
            // A secondary capture that says it has no burned-in text: one the policy de-identifies rather than quarantines.
            var file = DicomFile.FromBytes(MinimalDicomFile.Create("PAT-0042", PatientName, studyUid, seriesUid, MinimalDicomFile.NewUid()));
            file.Dataset.SetString(DicomTags.BurnedInAnnotation, "NO");
            file.Save(Path.Combine(folder, $"{i:D4}.dcm"));
        }

        await File.WriteAllTextAsync(Path.Combine(input, "README.txt"), "not DICOM");
        var staging = Path.Combine(_temp.FullName, "staging");
        var uploader = new DeidentifyingUploader(_lake!, new DeidentifyingUploadOptions { BatchFiles = 2, StagingFolder = staging });
        var key = DeidentificationKey.Generate();
        var batches = new List<DeidentifyingUploadProgress>();

        var report = await uploader.UploadAsync([input], "site-7/", key, new SynchronousProgress<DeidentifyingUploadProgress>(batches.Add));
        var rerun = await uploader.UploadAsync([input], "site-7/", key);

        Assert.True(report.Succeeded, string.Join("; ", report.UploadFailures.Select(f => f.Reason)));
        Assert.Equal((5, 0, 1, 5), (report.Deidentified, report.Quarantined, report.Ignored, report.Uploaded));
        Assert.Equal([2, 4, 6], batches.Select(b => b.FilesDone));
        var stored = new List<DataLakeObject>();
        await foreach (var item in _lake!.ListAsync("site-7/")) stored.Add(item);
        Assert.Equal(5, stored.Count);
        foreach (var item in stored)
        {
            await using var read = await _lake.OpenReadAsync(item.Key); // verified against the SHA-256 of its metadata
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            var dataset = DicomFile.FromBytes(copy.ToArray()).Dataset;
            Assert.NotEqual(PatientName, dataset.GetString(DicomTags.PatientName));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
        Assert.Equal((0, 5), (rerun.Uploaded, rerun.AlreadyStored));
    }
}

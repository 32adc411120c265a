using System.Diagnostics;
using System.Text.Json;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Tests.Hashing;

public sealed class DatasetHasherTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A dataset folder as the platform lays it out: subject folders linking into a data lake of study folders,
    /// series folders of DICOM files from the shared corpus, index.json (studies deliberately not in name order,
    /// one series left out) and eforms.json.
    /// </summary>
    private string BuildDataset()
    {
        var corpus = TestEnvironment.RequireDicomCorpus();
        var files = Directory.GetFiles(corpus, "*.dcm").Order(StringComparer.Ordinal).Take(24).ToArray();
        Assert.True(files.Length >= 12, "the corpus should hold at least 12 DICOM files");
        var lake = Directory.CreateDirectory(_temp.File("lake")).FullName;
        var dataset = Directory.CreateDirectory(_temp.File("dataset")).FullName;
        var next = 0;
        var index = new List<object>();
        foreach (var subject in new[] { "SUBJ-B", "SUBJ-A" })
        {
            var subjectLake = Directory.CreateDirectory(Path.Combine(lake, subject)).FullName;
            foreach (var study in new[] { "ST2", "ST1" })
            {
                var series = new List<object>();
                foreach (var name in new[] { "SER-T2", "SER-T1", "SER-EXTRA" })
                {
                    var dir = Directory.CreateDirectory(Path.Combine(subjectLake, study, name)).FullName;
                    for (var i = 0; i < 2 && next < files.Length; i++, next++)
                    {
                        File.Copy(files[next], Path.Combine(dir, $"{(char)('z' - i)}{Path.GetFileName(files[next])}"));
                    }

                    if (name != "SER-EXTRA") series.Add(new { folderName = name, tags = new[] { "Axial" } });
                }

                index.Add(new { studyId = subject + study, studyName = study, subjectName = subject, path = $"{subject}/{study}", series, url = "https://example.org/" + study });
            }

            Directory.CreateSymbolicLink(Path.Combine(dataset, subject), subjectLake);
        }

        File.WriteAllText(Path.Combine(dataset, "index.json"), JsonSerializer.Serialize(index));
        File.WriteAllText(Path.Combine(dataset, "eforms.json"), """[{"subjectName":"SUBJ-A","eforms":[]}]""");
        return dataset;
    }

    [SkippableFact]
    public async Task Digests_match_an_independent_python_hashlib_computation()
    {
        var dataset = BuildDataset();
        var tree = await DatasetHasher.ComputeAsync(dataset);

        const string script = """
            import base64, hashlib, json, os, sys
            root = sys.argv[1]
            def files_digest(paths):
                h = hashlib.sha3_256()
                for p in paths:
                    with open(p, 'rb') as f:
                        h.update(f.read())
                return h.digest()
            images = hashlib.sha3_256()
            for study in json.load(open(os.path.join(root, 'index.json'))):
                s = hashlib.sha3_256()
                for series in study['series']:
                    d = os.path.join(root, study['path'], series['folderName'])
                    s.update(files_digest([os.path.join(d, n) for n in sorted(os.listdir(d))]))
                images.update(s.digest())
            b = lambda x: base64.b64encode(x).decode()
            print(b(images.digest()), b(files_digest([os.path.join(root, 'index.json')])), b(files_digest([os.path.join(root, 'eforms.json')])))
            """;
        var python = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        python.ArgumentList.Add("-c");
        python.ArgumentList.Add(script);
        python.ArgumentList.Add(dataset);
        Process? process;
        try
        {
            process = Process.Start(python);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            process = null;
        }

        if (process is null)
        {
            TestEnvironment.Unavailable<object>("python3");
            return;
        }

        var output = (await process.StandardOutput.ReadToEndAsync()).Trim().Split(' ');
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);

        Assert.Equal(output[0], Convert.ToBase64String(tree.Images));
        Assert.Equal(output[1], Convert.ToBase64String(tree.Index!));
        Assert.Equal(output[2], Convert.ToBase64String(tree.Eforms!));
        Assert.Equal(["SUBJ-B/ST2", "SUBJ-B/ST1", "SUBJ-A/ST2", "SUBJ-A/ST1"], tree.Studies.Select(s => s.Path));
        Assert.All(tree.Studies, s => Assert.Equal(["SER-T2", "SER-T1"], s.Series.Select(r => r.Path.Split('/')[^1])));
    }

    [SkippableFact]
    public async Task Integrity_check_detects_a_changed_file_and_the_cache_skips_unchanged_series()
    {
        var dataset = BuildDataset();
        var cache = new SeriesDigestCache();
        var tree = await DatasetHasher.ComputeAsync(dataset, new DatasetHasherOptions { Cache = cache });
        var creation = new CreateDatasetTrace
        {
            Id = Guid.NewGuid(), CallerId = "t", Timestamp = 1, UserId = "u", DatasetId = "d", TraceResources = tree.ToTraceResources(),
        };
        Assert.True(tree.CompareWith(creation).IsIntact);

        var again = await DatasetHasher.ComputeAsync(dataset, new DatasetHasherOptions { Cache = cache });
        Assert.Equal(tree.Images, again.Images);
        Assert.Equal(8, cache.Hits);

        var victim = Directory.GetFiles(Path.Combine(dataset, "SUBJ-A", "ST1", "SER-T1"))[0];
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(victim, bytes);
        File.SetLastWriteTimeUtc(victim, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var changed = await DatasetHasher.ComputeAsync(dataset, new DatasetHasherOptions { Cache = cache });
        var result = changed.CompareWith(creation);
        Assert.False(result.IsIntact);
        Assert.Contains(result.Mismatches, m => m.StartsWith("images:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Mismatches, m => m.StartsWith("index:", StringComparison.Ordinal));

        var cacheFile = _temp.File("cache.txt");
        await cache.SaveAsync(cacheFile);
        var loaded = await SeriesDigestCache.LoadAsync(cacheFile);
        Assert.Equal(cache.Count, loaded.Count);
    }

    [Fact]
    public async Task Bad_folders_and_indexes_give_typed_errors()
    {
        await Assert.ThrowsAsync<DatasetHashException>(() => DatasetHasher.ComputeAsync(_temp.File("missing")));
        var dataset = Directory.CreateDirectory(_temp.File("bad")).FullName;
        File.WriteAllText(Path.Combine(dataset, "index.json"), "[{\"path\": \"../../etc\", \"series\": []}]");
        var e = await Assert.ThrowsAsync<DatasetHashException>(() => DatasetHasher.ComputeAsync(dataset));
        Assert.Contains("leaves the dataset folder", e.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dataset, "index.json"), "{not json");
        e = await Assert.ThrowsAsync<DatasetHashException>(() => DatasetHasher.ComputeAsync(dataset));
        Assert.Contains("index.json", e.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dataset, "index.json"), "[{\"path\": \"S/ST\", \"series\": [{\"folderName\": \"nope\"}]}]");
        e = await Assert.ThrowsAsync<DatasetHashException>(() => DatasetHasher.ComputeAsync(dataset));
        Assert.Contains("S/ST/nope", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Hashing_the_files_as_streams_gives_the_tree_of_the_folder()
    {
        var dataset = BuildDataset();
        var folderTree = await DatasetHasher.ComputeAsync(dataset);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dataset, "index.json")));
        var studies = index.RootElement.EnumerateArray().Select(study =>
        {
            var path = study.GetProperty("path").GetString()!;
            return new DatasetStreamStudy(path, [.. study.GetProperty("series").EnumerateArray().Select(series =>
            {
                var seriesPath = path + "/" + series.GetProperty("folderName").GetString();
                var files = Directory.GetFiles(Path.Combine(dataset, seriesPath)).Order(StringComparer.Ordinal).ToArray();
                // in memory, as an object store hands them over: nothing of the folder is read by the hasher
                return new DatasetStreamSeries(seriesPath, files.Length, (i, _) => ValueTask.FromResult<Stream>(new MemoryStream(File.ReadAllBytes(files[i]), writable: false)));
            })]);
        }).ToList();

        var streamTree = await DatasetHasher.ComputeFromStreamsAsync(studies,
            File.ReadAllBytes(Path.Combine(dataset, "index.json")), File.ReadAllBytes(Path.Combine(dataset, "eforms.json")), new DatasetHasherOptions { MaxDegreeOfParallelism = 3 });

        Assert.Equal(folderTree.Images, streamTree.Images);
        Assert.Equal(folderTree.Index, streamTree.Index);
        Assert.Equal(folderTree.Eforms, streamTree.Eforms);
        Assert.Equal(folderTree.Studies.Select(s => (s.Path, Convert.ToBase64String(s.Digest))), streamTree.Studies.Select(s => (s.Path, Convert.ToBase64String(s.Digest))));
        Assert.Equal(folderTree.Studies.SelectMany(s => s.Series).Select(r => (r.Path, r.FileCount, r.ByteCount)),
            streamTree.Studies.SelectMany(s => s.Series).Select(r => (r.Path, r.FileCount, r.ByteCount)));
        var noJson = await DatasetHasher.ComputeFromStreamsAsync(studies, null, null);
        Assert.Null(noJson.Index);
        Assert.Equal(folderTree.Images, noJson.Images);
    }
}

using System.Text;
using ImagingRepo.Service.Creation.Lake;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>What every data lake must do the same way, on a folder and on Ceph RGW: the path rules with their messages, missing studies and series, files in name order.</summary>
public sealed class DataLakeRulesTests(CreationLake lake, CephLakeCopy ceph) : IClassFixture<CreationLake>, IClassFixture<CephLakeCopy>
{
    public static TheoryData<LakeKind, string, string> RefusedPaths()
    {
        var data = new TheoryData<LakeKind, string, string>();
        foreach (var kind in new[] { LakeKind.Folder, LakeKind.Ceph })
        {
            data.Add(kind, "../outside/study", "has a segment that is \"..\"");
            data.Add(kind, "user/../../outside/study", "has a segment that is \"..\"");
            data.Add(kind, "/etc", "is absolute; it must be relative to the data lake");
            data.Add(kind, "user//study", "has a segment that is empty");
            data.Add(kind, "user/./subject/study", "has a segment that is \".\"");
            data.Add(kind, "user\\..\\outside", "has a segment that holds a slash or backslash");
            data.Add(kind, "user/.hidden", "has a segment that starts with a dot");
            data.Add(kind, "", "is empty");
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(RefusedPaths))]
    public async Task Paths_that_could_leave_the_lake_are_refused_as_written(LakeKind kind, string path, string problem)
    {
        var dataLake = await ceph.OpenAsync(kind, lake);

        var e = await Assert.ThrowsAsync<DataLakePathException>(() => dataLake.FindStudyAsync(path).AsTask());

        Assert.Equal($"pathInDatalake \"{path}\" {problem}", e.Message);
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Series_names_that_could_leave_the_study_are_refused(LakeKind kind)
    {
        var dataLake = await ceph.OpenAsync(kind, lake);
        var study = (await dataLake.FindStudyAsync(lake.StudyPaths["A1"].Path))!;

        foreach (var (name, problem) in new[] { ("..", "is \"..\""), ("a/b", "holds a slash or backslash"), ("a\\b", "holds a slash or backslash"), ("", "is empty") })
        {
            var e = await Assert.ThrowsAsync<DataLakePathException>(() => dataLake.FindSeriesAsync(study, name).AsTask());
            Assert.Equal($"series \"{name}\" of \"{study.PathInDatalake}\": the folder name {problem}", e.Message);
        }
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Missing_studies_and_series_are_null_and_files_come_in_name_order_with_their_content(LakeKind kind)
    {
        var dataLake = await ceph.OpenAsync(kind, lake);
        var (path, _, seriesFolders) = lake.StudyPaths["A2"];

        Assert.Null(await dataLake.FindStudyAsync(path + "-none"));
        Assert.Null(await dataLake.FindStudyAsync(path[..path.LastIndexOf('/')] + "/nothing/"));
        var study = (await dataLake.FindStudyAsync(path + "/"))!;
        Assert.Equal(path, study.PathInDatalake);
        Assert.Equal(Path.Combine(lake.LakePath, path), study.LinkTarget);
        Assert.Null(await dataLake.FindSeriesAsync(study, "2.25.999"));
        var series = (await dataLake.FindSeriesAsync(study, seriesFolders["ct1"]))!;

        var onDisk = Directory.GetFiles(Path.Combine(lake.LakePath, path, seriesFolders["ct1"])).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(onDisk.Select(Path.GetFileName), series.Files.Select(f => f.Name));
        Assert.Equal(onDisk.Select(f => new FileInfo(f).Length), series.Files.Select(f => f.Length));
        await using var stream = await dataLake.OpenReadAsync(series.Files[^1]);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(await File.ReadAllBytesAsync(onDisk[^1]), copy.ToArray());
    }

    [SkippableFact]
    public async Task Objects_a_mounted_series_could_not_hold_as_files_refuse_their_series()
    {
        await ceph.UploadOnceAsync(lake);
        var study = "odd/subject/study";
        await ceph.PutAsync(study + "/fine/001.dcm", Encoding.ASCII.GetBytes("ok"));
        await ceph.PutAsync(study + "/fine/deeper/002.dcm", Encoding.ASCII.GetBytes("not part of the series"));
        await ceph.PutAsync(study + "/fine/", []); // a folder marker, as S3 consoles make
        await ceph.PutAsync(study + "/backslash/a\\..\\b.dcm", Encoding.ASCII.GetBytes("x"));
        var dataLake = await ceph.OpenAsync(LakeKind.Ceph, lake);
        var found = (await dataLake.FindStudyAsync(study))!;

        var fine = (await dataLake.FindSeriesAsync(found, "fine"))!;
        var backslash = await Assert.ThrowsAsync<DataLakePathException>(() => dataLake.FindSeriesAsync(found, "backslash").AsTask());

        Assert.Equal(["001.dcm"], fine.Files.Select(f => f.Name));
        Assert.Equal($"series \"backslash\" of \"{study}\": object \"{study}/backslash/a\\..\\b.dcm\" holds a backslash", backslash.Message);
    }
}

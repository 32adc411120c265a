using ImagingRepo.Service.Creation.Lake;

namespace ImagingRepo.Service.Tests.Creation;

public sealed class LocalFolderDataLakeTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("imagingrepo-lake-");
    private readonly string _lake;
    private readonly string _outside;

    public LocalFolderDataLakeTests()
    {
        _lake = Path.Combine(_root.FullName, "lake");
        _outside = Path.Combine(_root.FullName, "outside");
        Directory.CreateDirectory(Path.Combine(_lake, "user", "subject", "study", "series"));
        File.WriteAllText(Path.Combine(_lake, "user", "subject", "study", "series", "b.dcm"), "bb");
        File.WriteAllText(Path.Combine(_lake, "user", "subject", "study", "series", "a.dcm"), "a");
        Directory.CreateDirectory(Path.Combine(_outside, "study", "series"));
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "not for datasets");
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [InlineData("../outside/study", "has a segment that is \"..\"")]
    [InlineData("user/../../outside/study", "has a segment that is \"..\"")]
    [InlineData("/etc", "is absolute; it must be relative to the data lake")]
    [InlineData("user//study", "has a segment that is empty")]
    [InlineData("user/./subject/study", "has a segment that is \".\"")]
    [InlineData("user\\..\\outside", "has a segment that holds a slash or backslash")]
    [InlineData("user/.hidden", "has a segment that starts with a dot")]
    [InlineData("", "is empty")]
    public async Task Paths_that_could_leave_the_lake_are_refused_as_written(string path, string problem)
    {
        var lake = new LocalFolderDataLake(_lake);

        var e = await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindStudyAsync(path).AsTask());

        Assert.Equal($"pathInDatalake \"{path}\" {problem}", e.Message);
    }

    [Fact]
    public async Task A_study_path_through_a_link_out_of_the_lake_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_lake, "user", "escape"), _outside);
        var lake = new LocalFolderDataLake(_lake);

        var e = await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindStudyAsync("user/escape/study").AsTask());

        Assert.Equal("pathInDatalake \"user/escape/study\" leads out of the data lake through the symbolic link \"user/escape\"", e.Message);
    }

    [Fact]
    public async Task A_relative_link_that_climbs_out_is_refused_and_one_that_stays_inside_is_followed()
    {
        // "up" → ../.. from lake/user leads to the temp root, outside; "alias" → subject stays inside
        Directory.CreateSymbolicLink(Path.Combine(_lake, "user", "up"), "../../outside");
        Directory.CreateSymbolicLink(Path.Combine(_lake, "user", "alias"), "subject");
        var lake = new LocalFolderDataLake(_lake);

        await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindStudyAsync("user/up/study").AsTask());
        var study = await lake.FindStudyAsync("user/alias/study/");

        Assert.NotNull(study);
        Assert.Equal("user/alias/study", study.PathInDatalake);
        Assert.Equal(Path.Combine(_lake, "user", "subject", "study"), study.LinkTarget); // the real folder, not the alias
    }

    [Fact]
    public async Task A_study_folder_that_is_itself_a_link_out_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_lake, "user", "subject", "stolen"), Path.Combine(_outside, "study"));
        var lake = new LocalFolderDataLake(_lake);

        await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindStudyAsync("user/subject/stolen").AsTask());
    }

    [Fact]
    public async Task A_series_folder_or_file_that_links_out_is_refused()
    {
        var studyFolder = Path.Combine(_lake, "user", "subject", "study");
        Directory.CreateSymbolicLink(Path.Combine(studyFolder, "linked-series"), Path.Combine(_outside, "study", "series"));
        File.CreateSymbolicLink(Path.Combine(studyFolder, "series", "c.dcm"), Path.Combine(_outside, "secret.txt"));
        var lake = new LocalFolderDataLake(_lake);
        var study = (await lake.FindStudyAsync("user/subject/study"))!;

        var folder = await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindSeriesAsync(study, "linked-series").AsTask());
        var file = await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindSeriesAsync(study, "series").AsTask());

        Assert.Equal("series \"linked-series\" of \"user/subject/study\" leads out of the data lake through the symbolic link \"linked-series\"", folder.Message);
        Assert.Equal("series \"series\" of \"user/subject/study\": file \"c.dcm\" is a symbolic link out of the data lake", file.Message);
        await Assert.ThrowsAsync<DataLakePathException>(() => lake.FindSeriesAsync(study, "..").AsTask());
    }

    [Fact]
    public async Task Missing_studies_and_series_are_null_and_files_come_in_name_order()
    {
        var lake = new LocalFolderDataLake(_lake);

        Assert.Null(await lake.FindStudyAsync("user/subject/none"));
        Assert.Null(await lake.FindStudyAsync("user/subject/study/series/a.dcm")); // a file is no study
        var study = (await lake.FindStudyAsync("user/subject/study"))!;
        Assert.Null(await lake.FindSeriesAsync(study, "none"));
        var series = (await lake.FindSeriesAsync(study, "series"))!;

        Assert.Equal(["a.dcm", "b.dcm"], series.Files.Select(f => f.Name));
        Assert.Equal([1L, 2L], series.Files.Select(f => f.Length));
        await using var stream = await lake.OpenReadAsync(series.Files[1]);
        Assert.Equal("bb", await new StreamReader(stream).ReadToEndAsync());
    }

    [Fact]
    public async Task A_lake_reached_through_a_link_keeps_its_configured_path_in_study_links()
    {
        var mount = Path.Combine(_root.FullName, "mount");
        Directory.CreateSymbolicLink(mount, _lake);
        var lake = new LocalFolderDataLake(mount);

        var study = (await lake.FindStudyAsync("user/subject/study"))!;

        Assert.Equal(Path.Combine(mount, "user", "subject", "study"), study.LinkTarget);
    }
}

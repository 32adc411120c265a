using System.Text.Json;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Tests.Upload;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>
/// <c>imagingrepo upload SRC --project P</c> against the reference service over its local-folder lake, signed in as a
/// curator with real oidc-provider tokens (client credentials from a <c>--config</c> file). In the Console collection:
/// the command runs in this process and its output is read from the redirected console.
/// </summary>
[Collection("Console")]
public sealed class UploadCommandTests(LakeReferenceService service) : IClassFixture<LakeReferenceService>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagingrepo-cli-upload-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SkippableFact]
    public void Upload_makes_a_released_dataset_of_a_folder_reports_each_item_and_a_rerun_skips_its_studies()
    {
        service.Require();
        var export = Path.Combine(_root, "export");
        var studies = CorpusExport.Write(export, 1, 1);
        var prefix = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var journal = Path.Combine(_root, "export.journal.jsonl");
        string[] upload = ["upload", export, "--project", "ALPHA", "--name", "cli upload " + prefix, "--key-file", KeyFile(), "--prefix", prefix,
            "--lake", service.LakePath, "--journal", journal, "--service", service.Api.AbsoluteUri, "--config", Config("persona-curator")];

        var (code, text) = InProcessCli.Run([.. upload, "--release"]);

        Assert.True(code == 0, text);
        var lines = text.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.StartsWith($"uploaded     {studies[0]}  1 instances -> {prefix}/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"uploaded     {studies[1]}  1 instances -> {prefix}/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"ignored      {Path.Combine(export, "notes.txt")}  not DICOM", StringComparison.Ordinal));
        Assert.Contains("studies 2/2 done, 2 instances uploaded", lines); // progress, plain since stderr is not a terminal
        Assert.Contains($"studies: 2 uploaded, 0 skipped, 0 quarantined, 0 failed; files in no study: 2 ignored, 0 failed; journal: {journal}", lines);
        Assert.Matches(@"^dataset \S+ created: 2 studies, 1 subjects, released$", lines[^1]);
        var id = lines[^1].Split(' ')[1];
        Assert.Equal(2, Directory.GetFiles(Path.Combine(service.LakePath, prefix), "*.dcm", SearchOption.AllDirectories).Length);

        // The same journal: nothing uploaded again, the same dataset found; the report as JSON for scripts.
        var (again, json) = InProcessCli.Run([.. upload, "--json"]);

        Assert.True(again == 0, json);
        using var report = JsonDocument.Parse(Assert.Single(json.Split('\n'), l => l.StartsWith('{')));
        Assert.Equal(["skipped", "skipped"], report.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal(studies, report.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("studyInstanceUid").GetString()));
        Assert.Equal(["ignored", "ignored"], report.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("outcome").GetString()));
        Assert.Equal(id, report.RootElement.GetProperty("dataset").GetProperty("id").GetString());

        // That journal is another prefix's: refused as a wrong setting, before anything is uploaded.
        var (mismatch, refusal) = InProcessCli.Run([.. upload.Select(a => a == prefix ? prefix + "-other" : a)]);
        Assert.Equal(2, mismatch);
        Assert.Contains("error: --journal: the upload journal ", refusal, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(service.LakePath, prefix + "-other")));
    }

    [SkippableFact]
    public void A_broken_dicom_file_ends_with_exit_code_1_and_no_dataset()
    {
        service.Require();
        var export = Path.Combine(_root, "broken");
        CorpusExport.Write(export, 1);
        var broken = Path.Combine(export, "study-1", "cut.dcm");
        File.WriteAllBytes(broken, File.ReadAllBytes(Path.Combine(export, "study-1", "series-1", "IM0001.dcm"))[..150]);

        var (code, text) = InProcessCli.Run("upload", export, "--project", "ALPHA", "--key-file", KeyFile(), "--prefix", "cli-" + Guid.NewGuid().ToString("N")[..8],
            "--lake", service.LakePath, "--journal", Path.Combine(_root, "broken.jsonl"), "--service", service.Api.AbsoluteUri, "--config", Config("persona-curator"));

        Assert.Equal(1, code);
        Assert.Contains($"failed       {broken}  ", text, StringComparison.Ordinal);
        Assert.StartsWith("no dataset created: 0 studies and 1 files failed;", text.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_key_file_upload_is_a_usage_error()
    {
        var (code, text) = InProcessCli.Run("upload", _root, "--project", "ALPHA", "--service", "http://127.0.0.1:9/api/");

        Assert.Equal(2, code);
        Assert.Contains("error: --key-file: is required", text, StringComparison.Ordinal);
    }

    private string KeyFile()
    {
        var path = Path.Combine(_root, "project.key");
        File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        return path;
    }

    /// <summary>A settings file that signs in as <paramref name="persona"/> with client credentials, as an operator's would.</summary>
    private string Config(string persona)
    {
        var path = Path.Combine(_root, persona + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            ImagingRepo = new
            {
                SignIn = new
                {
                    Flow = "ClientCredentials", Authority = service.Oidc.Issuer, ClientId = persona, ClientSecret = service.Oidc.ClientSecret,
                    Resource = ReferenceService.Audience,
                },
            },
        }));
        return path;
    }
}

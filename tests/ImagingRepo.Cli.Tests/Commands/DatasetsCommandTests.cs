using System.Diagnostics;
using System.Text.Json;
using ImagingRepo.Client.Tests.Identity;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>
/// <c>imagingrepo datasets …</c> and <c>imagingrepo login</c> run as processes against the reference service, signed in
/// with real oidc-provider tokens: personas through client credentials from the environment, a person through the
/// device-code login scripted at the provider's pages. Each run has its own HOME, so no login of the machine's user is
/// read or written.
/// </summary>
public sealed class DatasetsCommandTests(ReferenceService service) : IClassFixture<ReferenceService>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("imagingrepo-cli-home-").FullName;

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [SkippableFact]
    public async Task A_curator_creates_lists_shows_and_curates_a_dataset_in_tables_and_json()
    {
        service.Require();
        var name = "cli datasets " + Guid.NewGuid().ToString("N")[..8];
        var request = Path.Combine(_home, "request.json");
        await File.WriteAllTextAsync(request, $$"""
            {
              "name": "{{name}}", "version": "1", "project": "ALPHA", "description": "Made by the CLI tests.",
              "provenance": "synthetic", "purpose": "tests", "type": ["original"], "collectionMethod": ["cohort"],
              "studies": [
                { "studyId": "s-0", "studyName": "CT0", "subjectName": "SUBJ-0", "pathInDatalake": "provider/SUBJ-0/CT0",
                  "series": [{ "folderName": "1", "tags": ["AXIAL"] }], "url": "https://explorer.example/studies/0" },
                { "studyId": "s-1", "studyName": "CT1", "subjectName": "SUBJ-0", "pathInDatalake": "provider/SUBJ-0/CT1",
                  "series": [{ "folderName": "1", "tags": ["AXIAL"] }], "url": "https://explorer.example/studies/1" }
              ],
              "subjects": [{ "subjectName": "SUBJ-0", "subjectId": "id0", "eForm": { "age": 61 } }]
            }
            """);

        var created = await RunAsync("persona-curator", "datasets", "create", request, "--json", "--service", service.Api.AbsoluteUri);
        Assert.True(created.Exit == 0, created.Error);
        using var details = JsonDocument.Parse(created.Output);
        var id = details.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(name, details.RootElement.GetProperty("name").GetString());
        Assert.Equal(2, details.RootElement.GetProperty("studiesCount").GetInt32());
        Assert.Contains($"dataset {id}: ", created.Error, StringComparison.Ordinal); // progress lines, plain since stderr is a pipe

        var table = await RunAsync("persona-curator", "datasets", "list", "--search", name, "--service", service.Api.AbsoluteUri);
        Assert.True(table.Exit == 0, table.Error);
        var row = Assert.Single(table.Output.Split('\n'), line => line.Contains(id, StringComparison.Ordinal));
        Assert.Contains(name, row, StringComparison.Ordinal);
        Assert.Contains("draft", row, StringComparison.Ordinal);
        Assert.Equal("1 datasets", table.Output.TrimEnd().Split('\n')[^1]);

        var lines = await RunAsync("persona-curator", "datasets", "list", "--search", name, "--json", "--service", service.Api.AbsoluteUri);
        using (var item = JsonDocument.Parse(Assert.Single(lines.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))))
        {
            Assert.Equal(id, item.RootElement.GetProperty("id").GetString());
            Assert.True(item.RootElement.GetProperty("draft").GetBoolean());
        }

        var studies = await RunAsync("persona-curator", "datasets", "studies", id, "--json", "--service", service.Api.AbsoluteUri);
        Assert.Equal(["s-0", "s-1"], studies.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("studyId").GetString()).Order(StringComparer.Ordinal));

        var released = await RunAsync("persona-curator", "datasets", "release", id, "--service", service.Api.AbsoluteUri);
        Assert.Equal((0, $"dataset {id} released"), (released.Exit, released.Output.Trim()));
        var shown = await RunAsync("persona-curator", "datasets", "show", id, "--service", service.Api.AbsoluteUri);
        Assert.True(shown.Exit == 0, shown.Error);
        Assert.Contains(name, shown.Output, StringComparison.Ordinal);
        Assert.Matches(@"State\s+released", shown.Output);

        var invalidated = await RunAsync("persona-curator", "datasets", "invalidate", id, "--reason", "a wrong series", "--json",
            "--service", service.Api.AbsoluteUri);
        Assert.True(invalidated.Exit == 0, invalidated.Error);
        using (var after = JsonDocument.Parse((await RunAsync("persona-curator", "datasets", "show", id, "--json", "--service", service.Api.AbsoluteUri)).Output))
        {
            Assert.True(after.RootElement.GetProperty("invalidated").GetBoolean());
            Assert.Equal("a wrong series", after.RootElement.GetProperty("invalidationReason").GetString());
        }

        var history = await RunAsync("persona-access-admin", "datasets", "access-history", id, "--service", service.Api.AbsoluteUri);
        Assert.True(history.Exit == 0, history.Error);
        Assert.Equal("0 accesses", history.Output.TrimEnd().Split('\n')[^1]);
    }

    [SkippableFact]
    public async Task An_unknown_dataset_is_a_clear_error_with_exit_code_3()
    {
        service.Require();
        var missing = await RunAsync("persona-reader", "datasets", "show", "no-such-dataset", "--service", service.Api.AbsoluteUri);

        Assert.Equal(3, missing.Exit);
        Assert.StartsWith("error: not found: ", missing.Error, StringComparison.Ordinal);
        Assert.Equal("", missing.Output);
    }

    [Fact]
    public async Task Without_a_service_the_command_names_the_setting()
    {
        var (exit, _, error) = await RunAsync(null, "datasets", "list");

        Assert.Equal(2, exit);
        Assert.Contains("--service: no dataset service is named", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Login_by_device_code_keeps_owner_only_tokens_that_later_commands_use()
    {
        service.Require();
        var deviceClient = Environment.GetEnvironmentVariable("IMAGINGREPO_OIDC_DEVICE_CLIENT_ID") is { Length: > 0 } configured ? configured : "imagingrepo-cli";
        using var login = Start(null, "login", "--service", service.Api.AbsoluteUri, "--authority", service.Oidc.Issuer, "--client-id", deviceClient,
            "--resource", ReferenceService.Audience);
        var prompt = new List<string>();
        Uri? complete = null;
        while (complete is null && await login.StandardError.ReadLineAsync() is { } line)
        {
            prompt.Add(line);
            if (line.StartsWith("Or open ", StringComparison.Ordinal)) complete = new Uri(line["Or open ".Length..]);
        }

        Assert.True(complete is not null, string.Join('\n', prompt));
        Assert.StartsWith("To sign in, open ", prompt[0], StringComparison.Ordinal);
        await ScriptedBrowser.ApproveAsync(complete!, "cli-person");
        var output = await login.StandardOutput.ReadToEndAsync();
        var rest = await login.StandardError.ReadToEndAsync();
        await login.WaitForExitAsync();

        Assert.True(login.ExitCode == 0, rest);
        Assert.Contains($"signed in to {service.Oidc.Issuer.TrimEnd('/')}", output, StringComparison.Ordinal);
        var tokens = Path.Combine(_home, ".imagingrepo", "tokens.json");
        var settings = Path.Combine(_home, ".imagingrepo", "cli.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokens));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settings));
        }

        Assert.Contains("refreshToken", await File.ReadAllTextAsync(tokens), StringComparison.Ordinal);
        Assert.DoesNotContain("Token", await File.ReadAllTextAsync(settings), StringComparison.OrdinalIgnoreCase);

        // No option, no variable: the saved login names the service and signs the call in.
        var listed = await RunAsync(null, "datasets", "list", "--json");
        Assert.True(listed.Exit == 0, listed.Error);
    }

    /// <summary>Runs the CLI signed in as <paramref name="persona"/> with client credentials from the environment, or with nothing but HOME when null.</summary>
    private async Task<(int Exit, string Output, string Error)> RunAsync(string? persona, params string[] args)
    {
        using var process = Start(persona, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private Process Start(string? persona, params string[] args)
    {
        var cli = Path.Combine(TestEnvironment.RepositoryRoot, "src", "ImagingRepo.Cli", "bin", Configuration, "net10.0", "imagingrepo.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["HOME"] = _home;
        start.Environment["DOTNET_CLI_HOME"] = _home;
        start.Environment.Remove("IMAGINGREPO_SERVICE_URL");
        if (persona is not null)
        {
            start.Environment["IMAGINGREPO_SIGNIN__FLOW"] = "ClientCredentials";
            start.Environment["IMAGINGREPO_SIGNIN__AUTHORITY"] = service.Oidc.Issuer;
            start.Environment["IMAGINGREPO_SIGNIN__CLIENTID"] = persona;
            start.Environment["IMAGINGREPO_SIGNIN__CLIENTSECRET"] = service.Oidc.ClientSecret;
            start.Environment["IMAGINGREPO_SIGNIN__RESOURCE"] = ReferenceService.Audience;
        }

        return Process.Start(start)!;
    }
}

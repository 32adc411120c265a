using System.CommandLine;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Templates;
using ImagingRepo.Jobs.Workspaces;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo policy check FILE</c> and <c>imagingrepo policy kyverno</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var support = new JobsCommandSupport();
        var policy = new Command("policy", "Check manifests against the platform policies, or emit them for Kyverno.");
        policy.Options.Add(support.Config);

        var file = new Argument<FileInfo>("file") { Description = "YAML manifest(s) or a PRIMAGE-style template" };
        var values = new Option<string[]>("--set") { Description = "placeholder value for a #name# template: name=value, or name=[\"a\",\"b\"] for a list (repeatable)", AllowMultipleArgumentsPerToken = true };
        var user = new Option<string?>("--user", "-u") { Description = "check the uid/gid/supplemental-group rules against this user's workspace" };
        var gid = new Option<long?>("--dataset-gid") { Description = "the user's dataset GID (with --user)" };
        var check = new Command("check", "Check a manifest file; exits 1 and lists every violation when a rule is broken.")
        {
            file,
            values,
            user,
            gid,
        };
        check.SetAction(parse => JobsCommandSupport.RunAsync(parse, async () =>
        {
            var options = support.Options(parse);
            var path = parse.GetValue(file)!;
            string text = await File.ReadAllTextAsync(path.FullName);
            var template = LegacyTemplate.Parse(text);
            var objects = template.Placeholders.Count > 0 || parse.GetValue(values) is { Length: > 0 }
                ? template.Render(ParseValues(parse.GetValue(values) ?? []))
                : LegacyTemplate.ParseManifests(text);

            WorkspaceIdentity? workspace = parse.GetValue(user) is { } u && parse.GetValue(gid) is { } g
                ? WorkspaceManifests.Identity(new WorkspaceRequest(u, g), options.Workspace)
                : null;
            var violations = new PolicyChecker(options.Policy).CheckAll(objects, workspace);
            var output = parse.InvocationConfiguration.Output;
            if (workspace is null && (parse.GetValue(user) is not null || parse.GetValue(gid) is not null))
            {
                // a user named alone must not read as "checked against that user's workspace"
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    "note: workspace rules (uid, gid, supplemental groups) skipped: they need both -u USER and --dataset-gid GID.");
            }

            foreach (var v in violations)
            {
                await output.WriteLineAsync(v.ToString());
            }

            await output.WriteLineAsync(violations.Count == 0
                ? $"{path.Name}: {objects.Count} object(s), no violations"
                : $"{path.Name}: {objects.Count} object(s), {violations.Count} violation(s)");
            return violations.Count == 0 ? 0 : 1;
        }));

        var output = new Option<FileInfo?>("--output", "-o") { Description = "write to this file instead of standard output" };
        var kyverno = new Command("kyverno", "Emit the platform policies as a Kyverno ClusterPolicy.");
        kyverno.Options.Add(output);
        kyverno.SetAction(parse => JobsCommandSupport.RunAsync(parse, async () =>
        {
            string yaml = KyvernoPolicyWriter.ToYaml(support.Options(parse).Policy);
            if (parse.GetValue(output) is { } target)
            {
                string temp = target.FullName + ".tmp";
                await File.WriteAllTextAsync(temp, yaml);
                File.Move(temp, target.FullName, overwrite: true);
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteAsync(yaml);
            }

            return 0;
        }));

        policy.Subcommands.Add(check);
        policy.Subcommands.Add(kyverno);
        return policy;
    }

    private static Dictionary<string, object> ParseValues(string[] pairs)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ImagingRepo.Jobs.JobsValidationException("--set", $"'{pair}' is not name=value");
            }

            string value = pair[(eq + 1)..];
            try
            {
                // A JSON array of strings fills a list placeholder (e.g. command-line arguments).
                values[pair[..eq]] = value.StartsWith('[')
                    ? System.Text.Json.JsonSerializer.Deserialize<string[]>(value) ?? []
                    : value;
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ImagingRepo.Jobs.JobsValidationException("--set " + pair[..eq], "a value starting with '[' must be a JSON array of strings: " + e.Message, e);
            }
        }

        return values;
    }
}

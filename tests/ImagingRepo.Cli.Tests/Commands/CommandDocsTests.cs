using System.CommandLine;
using System.Text.RegularExpressions;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>docs/cli.md and README.md name the commands that exist, all of them, and the root help claims no more.</summary>
public sealed partial class CommandDocsTests
{
    private static readonly RootCommand Root = CliApplication.CreateRootCommand();

    /// <summary>The commands and sub-commands of the command table of docs/cli.md: "imagingrepo jobs submit|list ...".</summary>
    private static List<string[]> DocumentedCommands()
    {
        var page = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "cli.md"));
        var commands = new List<string[]>();
        foreach (Match row in TableCommand().Matches(page))
        {
            var name = row.Groups["command"].Value;
            var subcommands = row.Groups["sub"].Success
                ? row.Groups["sub"].Value.Split(@"\|", StringSplitOptions.RemoveEmptyEntries)
                : [];
            commands.Add([name, .. subcommands]);
        }

        Assert.NotEmpty(commands);
        return commands;
    }

    [Fact]
    public void Every_command_in_docs_cli_md_exists_with_its_subcommands()
    {
        foreach (var documented in DocumentedCommands())
        {
            var command = Assert.Single(Root.Subcommands, c => c.Name == documented[0]);
            foreach (var sub in documented.Skip(1).Where(s => s.All(char.IsAsciiLetterLower)))
            {
                Assert.True(command.Subcommands.Any(c => c.Name == sub), $"docs/cli.md names 'imagingrepo {documented[0]} {sub}', which does not exist");
            }
        }
    }

    [Fact]
    public void Every_command_that_exists_is_in_docs_cli_md_and_in_the_readme()
    {
        var documented = DocumentedCommands();
        var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "README.md"));
        foreach (var command in Root.Subcommands)
        {
            var row = Assert.Single(documented, d => d[0] == command.Name);
            foreach (var sub in command.Subcommands)
            {
                Assert.True(row.Contains(sub.Name), $"'imagingrepo {command.Name} {sub.Name}' is missing from the table of docs/cli.md");
            }

            Assert.Contains($"`{command.Name}`", readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_root_help_claims_nothing_that_is_not_there()
    {
        // each area the description names has its command
        Assert.Contains("catalogue (login, datasets)", Root.Description, StringComparison.Ordinal);
        Assert.Contains(Root.Subcommands, c => c.Name == "datasets");
        Assert.Contains(Root.Subcommands, c => c.Name == "login");
        Assert.Contains("PACS", Root.Description, StringComparison.Ordinal);
        Assert.Contains(Root.Subcommands, c => c.Name == "pacs");
        Assert.Contains(Root.Subcommands, c => c.Name == "infer");
    }

    [GeneratedRegex(@"^\| `imagingrepo (?<command>[a-z]+)(?: (?<sub>[a-z-]+(?:\\\|[a-z-]+)*))?", RegexOptions.Multiline)]
    private static partial Regex TableCommand();
}

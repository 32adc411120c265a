using System.CommandLine;
using System.Reflection;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo info</c>: the tool's version, runtime and package assemblies.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the tool version, the .NET runtime and the ImagingRepo assemblies it carries.");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumn("Component").AddColumn("Version");
            table.AddRow("imagingrepo", Markup.Escape(InformationalVersion(typeof(InfoCommand).Assembly)));
            table.AddRow(".NET runtime", Markup.Escape(Environment.Version.ToString()));
            // The libraries load lazily: load the ones the tool references so their versions can be shown.
            foreach (var name in typeof(InfoCommand).Assembly.GetReferencedAssemblies()
                         .Where(a => a.Name?.StartsWith("ImagingRepo.", StringComparison.Ordinal) == true)
                         .OrderBy(a => a.Name, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(name.Name!), Markup.Escape(InformationalVersion(Assembly.Load(name))));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
